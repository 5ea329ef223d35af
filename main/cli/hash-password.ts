// `hash-password`: read a password from stdin and print the scrypt hash line a gateway account
// takes (serve.accounts[].passwordHash, docs/gateway.md). The password is never an argument, so it
// stays out of the shell history and the process list; typed at a terminal it is not echoed.
import { hashPassword } from '../gateway/accounts.js';
import { UsageError } from './util.js';

export const hashPasswordUsage = `hash-password            reads a password from stdin (first line), prints its scrypt hash for serve.accounts`;

const MAX_PASSWORD = 256;

/** The first line of everything piped in. */
function readPiped(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    process.stdin.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 64 * 1024) {
        process.stdin.destroy();
        reject(new UsageError('hash-password: stdin is too long for a password'));
        return;
      }
      chunks.push(c);
    });
    process.stdin.once('end', () => resolve(Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''));
    process.stdin.once('error', reject);
  });
}

/** A line typed at the terminal, without echo. */
function readTyped(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let text = '';
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new UsageError('hash-password: cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else if (ch >= ' ') text += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export async function runHashPassword(argv: string[]): Promise<number> {
  if (argv.length > 0) {
    throw new UsageError('hash-password takes no arguments: it reads the password from stdin (e.g. `npm run --silent cti -- hash-password < file`)');
  }
  const password = process.stdin.isTTY ? await readTyped('password (not shown): ') : await readPiped();
  if (password === '') {
    console.error('hash-password: empty password');
    return 2;
  }
  if (password.length > MAX_PASSWORD) {
    console.error(`hash-password: a password has at most ${MAX_PASSWORD} characters`);
    return 2;
  }
  console.log(await hashPassword(password));
  return 0;
}

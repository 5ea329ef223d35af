// The command line: `npm run --silent cti -- <command>` (and `npm start` = `start`).
import { hashPasswordUsage, runHashPassword } from './hash-password.js';
import { runProbe, probeUsage } from './probe.js';
import { runServe, serveUsage } from './serve.js';
import { runSim, simUsage } from './sim.js';
import { runStart, startUsage } from './start.js';
import { UsageError } from './util.js';

const usage = `usage: npm run --silent cti -- <command> [options]

commands:
  ${simUsage}
  ${probeUsage.replace(/\n/g, '\n  ')}
  ${startUsage}
  ${serveUsage.replace(/\n/g, '\n  ')}
  ${hashPasswordUsage}`;

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  sim: runSim,
  probe: runProbe,
  start: runStart,
  serve: runServe,
  'hash-password': runHashPassword,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    console.log(usage);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`unknown command ${name}\n\n${usage}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

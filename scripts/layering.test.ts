// The layering of ARCHITECTURE.md is a lint rule; this proves the rule bites.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it('keeps electron out of main/', async () => {
    expect(await layeringErrors('main/core/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
  });
  it('keeps Node and main/ out of the renderer', async () => {
    const code = "import { readFileSync } from 'node:fs';\nimport net from 'net';\nimport { createLogger } from '../main/core/log.js';\nexport const a = [readFileSync, net, createLogger];\n";
    expect(await layeringErrors('renderer/components/x.tsx', code)).toHaveLength(3);
  });
  it('keeps shared/ free of platform modules and UI', async () => {
    const code = "import { EventEmitter } from 'events';\nimport { useState } from 'react';\nimport { WebSocket } from 'ws';\nexport const a = [EventEmitter, useState, WebSocket];\n";
    expect(await layeringErrors('shared/x.ts', code)).toHaveLength(3);
  });
  it('lets app/ import electron and main/', async () => {
    const code = "import { app } from 'electron';\nimport { createLogger } from '../main/core/log.js';\nexport const a = [app, createLogger];\n";
    expect(await layeringErrors('app/x.ts', code)).toHaveLength(0);
  });
});

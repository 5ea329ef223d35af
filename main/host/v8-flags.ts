// V8 settings for the long-running main process (both hosts). An agent desktop runs all day on
// little CPU: favour memory over speed, so V8 does not keep growing the heap it reserves after
// collections (measured in docs/performance.md: RSS growth over a 600 s soak 11.6 % without,
// 3.6 % with). Set at start-up, before the services allocate much.
import { setFlagsFromString } from 'node:v8';

export const MAIN_PROCESS_V8_FLAGS = ['--optimize-for-size'] as const;

export function applyMainProcessV8Flags(): void {
  for (const flag of MAIN_PROCESS_V8_FLAGS) setFlagsFromString(flag);
}

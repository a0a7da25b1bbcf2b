// The README's runnable blocks: each example sits in the first fenced block after an HTML comment
// marker (<!-- name -->), its printed output in the block after <!-- name-output -->.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The text of the first fenced block after `<!-- marker -->` in the README. */
export function readmeBlock(marker: string): string {
  const at = README.indexOf(`<!-- ${marker} -->`);
  expect(at, `README marker <!-- ${marker} -->`).toBeGreaterThanOrEqual(0);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at));
  expect(m, `a code block after <!-- ${marker} -->`).not.toBeNull();
  return m![1];
}

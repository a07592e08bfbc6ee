import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** Whether `version` (x.y.z) satisfies a range of `^x.y.z` alternatives, as `engines` writes it. */
function satisfies(version: string, range: string): boolean {
  const have = version.split('.').map(Number);
  return range.split('||').some((alternative) => {
    const want = alternative.trim().replace(/^\^/, '').split('.').map(Number);
    if (have[0] !== want[0]) return false;
    const order = (have[1] ?? 0) - (want[1] ?? 0) || (have[2] ?? 0) - (want[2] ?? 0);
    return order >= 0;
  });
}

describe('the runtime', () => {
  it(`is a supported Node line: ${process.version} within engines ${engines.node}`, () => {
    expect(satisfies(process.versions.node, engines.node)).toBe(true);
    expect(satisfies('20.20.2', engines.node)).toBe(false);
  });
});

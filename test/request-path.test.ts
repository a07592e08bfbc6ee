import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathnameOf } from '../src/request-path.ts';

describe('pathnameOf', () => {
  it('is the pathname the URL parser gives, for any path, query or host', () => {
    const piece = fc.constantFrom(
      '/',
      'health',
      'graphql',
      '.',
      '..',
      '%2e',
      '%68',
      '-',
      '_',
      '\\',
      '?',
      '#',
      '/',
      ' ',
      'x',
      'A',
      '@',
      ':',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          'http://127.0.0.1:4000',
          'https://gw.example.com',
          'http://h\\x',
          'http://u@h:1',
        ),
        fc.array(piece, { maxLength: 12 }),
        (origin, parts) => {
          const url = `${origin}/${parts.join('')}`;
          expect(pathnameOf({ url } as Request, new URL(url))).toBe(new URL(url).pathname);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

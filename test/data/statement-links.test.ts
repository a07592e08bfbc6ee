import { describe, expect, it } from 'vitest';
import { statementLinkKey } from '../../src/data/statement-links.ts';

describe('statementLinkKey', () => {
  it('derives the statement link key from the secret, so instances share links', () => {
    const key = statementLinkKey('secret-key');
    expect(key).toEqual(statementLinkKey('secret-key'));
    expect(key).not.toEqual(statementLinkKey('other-secret'));
    expect(key.toString('utf8')).not.toContain('secret-key');
  });
});

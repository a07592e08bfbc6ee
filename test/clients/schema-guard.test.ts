import { describe, expect, it } from 'vitest';
import { reviewSchemaChanges, unreleasedSection } from '../../scripts/schema-guard.ts';

const RELEASED = /* GraphQL */ `
  type Query { mfaStep(requestId: ID!): MfaRequired! }
  type MfaRequired { requestId: ID! prompt: String! }
`;
const NULLABLE_REQUEST_ID = RELEASED.replace('requestId: ID! prompt', 'requestId: ID prompt');
const WITH_NEW_FIELD = RELEASED.replace('prompt: String!', 'prompt: String! hint: String');

const changelog = (unreleased: string, released = '') =>
  `# Changelog\n\n## Unreleased\n\n### Schema\n\n${unreleased}\n\n## 0.1.0\n\n${released}\n`;

describe('the breaking-change guard', () => {
  it('passes an added field without any changelog entry', async () => {
    const review = await reviewSchemaChanges(RELEASED, WITH_NEW_FIELD, changelog(''));
    expect(review.unacknowledged).toEqual([]);
    expect(review.others.map((change) => change.message)).toEqual([
      "Field 'hint' was added to object type 'MfaRequired'",
    ]);
  });

  it('fails a field made nullable until the Unreleased section acknowledges its path', async () => {
    const before = await reviewSchemaChanges(RELEASED, NULLABLE_REQUEST_ID, changelog(''));
    expect(before.unacknowledged.map((change) => [change.path, change.message])).toEqual([
      ['MfaRequired.requestId', "Field 'MfaRequired.requestId' changed type from 'ID!' to 'ID'"],
    ]);

    const after = await reviewSchemaChanges(
      RELEASED,
      NULLABLE_REQUEST_ID,
      changelog('- BREAKING: `MfaRequired.requestId` may be null; clients check it.'),
    );
    expect(after.unacknowledged).toEqual([]);
    expect(after.acknowledged.map((change) => change.path)).toEqual(['MfaRequired.requestId']);
  });

  it('does not count a mention outside a BREAKING line of the Unreleased section', async () => {
    for (const entries of [
      changelog('- `MfaRequired.requestId` may be null.'),
      changelog('', '- BREAKING: `MfaRequired.requestId` may be null.'),
      changelog('- BREAKING: `MfaRequired.prompt` may be null.'),
    ]) {
      const review = await reviewSchemaChanges(RELEASED, NULLABLE_REQUEST_ID, entries);
      expect(review.unacknowledged).toHaveLength(1);
    }
  });

  it('reads the Unreleased section up to the next release heading', () => {
    expect(unreleasedSection(changelog('- a', '- b'))).toContain('- a');
    expect(unreleasedSection(changelog('- a', '- b'))).not.toContain('- b');
    expect(unreleasedSection('# Changelog\n\n## 0.1.0\n- b\n')).toBe('');
  });
});

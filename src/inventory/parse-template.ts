import type * as YamlModule from 'yaml';
import { isRecord } from '../discovery/read-files';

/** CloudFormation's YAML short forms, turned into their JSON long forms (`!Ref x` → `{"Ref": "x"}`). */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'ToJsonString',
  'Length',
];

function longForm(name: string, value: unknown): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') return { 'Fn::GetAtt': value.split('.') };
  return { [`Fn::${name}`]: value };
}

const customTags = (YAML: typeof YamlModule): YamlModule.Tags =>
  SHORT_FORMS.flatMap((name) =>
    (['scalar', 'seq', 'map'] as const).map((kind) => {
      const resolve = (value: unknown): unknown =>
        longForm(name, YAML.isNode(value) ? value.toJSON() : value);
      const tag = { tag: `!${name}`, resolve } as YamlModule.ScalarTag;
      return kind === 'scalar' ? tag : ({ ...tag, collection: kind } as unknown as YamlModule.CollectionTag);
    }),
  );

/**
 * The YAML parser and CloudFormation's tags, loaded on the first YAML (or not strictly JSON)
 * template only: loading `yaml` costs more than a whole run on an all-JSON project.
 */
let yaml: { readonly YAML: typeof YamlModule; readonly tags: YamlModule.Tags } | undefined;
function loadYaml(): { readonly YAML: typeof YamlModule; readonly tags: YamlModule.Tags } {
  if (!yaml) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: only for YAML templates
    const YAML = require('yaml') as typeof YamlModule;
    yaml = { YAML, tags: customTags(YAML) };
  }
  return yaml;
}

export interface CfnTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, unknown>;
}

export interface ParsedTemplate {
  readonly template: CfnTemplate;
  /** Set when a .json file is not strict JSON (a trailing comma) and was read as YAML instead. */
  readonly notStrictJson?: string;
}

const parseYaml = (text: string): unknown => {
  const { YAML, tags } = loadYaml();
  return YAML.parse(text, { customTags: tags, maxAliasCount: 1000, uniqueKeys: false });
};

/**
 * Parses JSON or YAML text; returns the template when it declares `Resources`, undefined for
 * any other document (parameters files, cli-inputs, ...). A .json file that is not strict
 * JSON is read as YAML (a superset that forgives trailing commas) and flagged. Throws when
 * the text does not parse at all.
 */
export function parseTemplate(text: string, fileName: string): ParsedTemplate | undefined {
  let body: unknown;
  let notStrictJson: string | undefined;
  if (/\.ya?ml$/i.test(fileName)) {
    body = parseYaml(text);
  } else {
    try {
      body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (jsonError) {
      body = parseYaml(text);
      notStrictJson = (jsonError as Error).message;
    }
  }
  if (!isRecord(body) || !isRecord(body.Resources)) return undefined;
  return { template: body as unknown as CfnTemplate, notStrictJson };
}

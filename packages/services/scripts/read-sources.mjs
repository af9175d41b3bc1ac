// Reads the two pinned inputs into one neutral model: the official Node SDK's type definitions
// (actions, models, hosts) and the Go SDKs' error data. The emitters and the tests read only this model.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * @typedef {{ kind: 'string' | 'number' | 'boolean' | 'integer64' } | { kind: 'ref', name: string }} ScalarType
 * @typedef {{ scalar: ScalarType, arrayDepth: number }} FieldType
 * @typedef {{ name: string, optional: boolean, nullable: boolean, doc: string, type: FieldType }} Field
 * @typedef {{ name: string, doc: string, fields: Field[] | null }} Struct  fields null: the source says `= null` (no fields)
 * @typedef {{ name: string, doc: string, request: string, response: string, multipart: boolean, streaming: string | null, streamHost?: string, errors: string[] }} Action
 *   streaming: the boolean param that switches streaming on, '' when the action always streams, null when it never does
 * @typedef {{ code: string, 'zh-CN'?: string, 'en-US'?: string }} ErrorCodeEntry
 * @typedef {{ service: string, version: string, dir: string, host: string, actions: Action[], structs: Map<string, Struct>, codes: ErrorCodeEntry[], skippedCodes: string[] }} ServiceVersion
 */

const require = createRequire(import.meta.url);
/** The pinned SDK package's root folder. */
export function sdkRoot() {
  return dirname(require.resolve('tencentcloud-sdk-nodejs/package.json'));
}
export function sdkVersion() {
  return JSON.parse(readFileSync(join(sdkRoot(), 'package.json'), 'utf8')).version;
}

const CODE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
/**
 * A doc that says the field can be null: "此字段可能返回 null", "后付费模式本项为null", "取值为**数字字符串**或**null**",
 * "may return null"... (23,000 fields say it the first way; a few hundred in other words).
 */
const NULLABLE = /(?:返回|为|是|或)\s*(?:\*\*)?\s*null\b|\b(?:return|returns|be|is)\s+null\b/i;
/** Streaming actions the definitions do not mark (see the package README). */
const ALWAYS_STREAMING = new Set(['tdai/CreateChatCompletion']);
/** Hosts that differ for a streaming call, from the action's documentation. */
const STREAM_HOSTS = { 'cls/ChatCompletions': 'cls.ai.tencentcloudapi.com' };

/** The first line of a doc comment, HTML stripped, whitespace collapsed, safe inside a comment. */
export function firstLine(raw) {
  const text = raw
    .replace(/^\/\*\*|\*\/$/g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join('\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|li|div|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  const line =
    text
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .find((l) => l !== '') ?? '';
  return line.replace(/\*\//g, '*\\/');
}

function docOf(node, text) {
  const ranges = ts.getLeadingCommentRanges(text, node.pos) ?? [];
  const last = ranges.filter((r) => text.startsWith('/**', r.pos)).pop();
  return last ? text.slice(last.pos, last.end) : '';
}

/** @returns {FieldType} */
function fieldType(node, where) {
  let arrayDepth = 0;
  let current = node;
  for (;;) {
    if (
      ts.isTypeReferenceNode(current) &&
      current.typeName.getText() === 'Array' &&
      current.typeArguments?.length === 1
    ) {
      arrayDepth++;
      current = current.typeArguments[0];
    } else if (ts.isArrayTypeNode(current)) {
      arrayDepth++;
      current = current.elementType;
    } else break;
  }
  const text = current.getText();
  if (text === 'string' || text === 'number' || text === 'boolean') return { scalar: { kind: text }, arrayDepth };
  if (text === 'number | bigint') return { scalar: { kind: 'integer64' }, arrayDepth };
  if (ts.isTypeReferenceNode(current) && !current.typeArguments)
    return { scalar: { kind: 'ref', name: text }, arrayDepth };
  throw new Error(`${where}: a type the generator does not know: ${node.getText()}`);
}

function readModels(file) {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  /** @type {Map<string, Struct>} */
  const structs = new Map();
  for (const statement of source.statements) {
    if (ts.isInterfaceDeclaration(statement)) {
      const fields = [];
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || !member.type)
          throw new Error(`${file}: ${statement.name.text} has a member that is not a property`);
        const raw = docOf(member, text);
        fields.push({
          name: member.name.getText().replace(/^['"]|['"]$/g, ''),
          optional: member.questionToken !== undefined,
          nullable: NULLABLE.test(raw),
          doc: firstLine(raw),
          type: fieldType(member.type, `${file} ${statement.name.text}`),
        });
      }
      structs.set(statement.name.text, { name: statement.name.text, doc: firstLine(docOf(statement, text)), fields });
    } else if (ts.isTypeAliasDeclaration(statement)) {
      if (statement.type.kind !== ts.SyntaxKind.LiteralType || statement.type.getText() !== 'null') {
        throw new Error(`${file}: type ${statement.name.text} is not \`= null\``);
      }
      structs.set(statement.name.text, {
        name: statement.name.text,
        doc: firstLine(docOf(statement, text)),
        fields: null,
      });
    } else if (!ts.isImportDeclaration(statement)) {
      throw new Error(`${file}: a statement the generator does not know: ${statement.getText().slice(0, 80)}`);
    }
  }
  return structs;
}

function readClient(dtsFile, jsFile) {
  const text = readFileSync(dtsFile, 'utf8');
  const source = ts.createSourceFile(dtsFile, text, ts.ScriptTarget.Latest, true);
  const actions = [];
  for (const statement of source.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const name = member.name.getText();
      const req = member.parameters[0]?.type;
      const ret = member.type;
      // An action is exactly `Action(req: XRequest, cb?): Promise<XResponse>`; anything else is not one.
      if (
        !req ||
        !ret ||
        !ts.isTypeReferenceNode(req) ||
        !ts.isTypeReferenceNode(ret) ||
        ret.typeName.getText() !== 'Promise'
      )
        continue;
      const response = ret.typeArguments?.[0];
      if (!response || !ts.isTypeReferenceNode(response)) continue;
      actions.push({
        name,
        doc: firstLine(docOf(member, text)),
        request: req.typeName.getText(),
        response: response.typeName.getText(),
      });
    }
  }
  const js = readFileSync(jsFile, 'utf8');
  const ctor = /super\("([^"]+)", "(\d{4}-\d{2}-\d{2})"/.exec(js);
  if (!ctor) throw new Error(`${jsFile}: no host and version`);
  const multipart = new Set();
  for (const match of js.matchAll(/async (\w+)\(req, cb\) \{\s*let options = \{\s*multipart: true/g))
    multipart.add(match[1]);
  return { host: ctor[1], version: ctor[2], actions, multipart };
}

/** Every service-version of the pinned SDK, sorted, with its error data. @returns {ServiceVersion[]} */
export function readSources(errorData) {
  const root = join(sdkRoot(), 'tencentcloud', 'services');
  /** @type {ServiceVersion[]} */
  const out = [];
  for (const service of readdirSync(root).sort()) {
    if (!statSync(join(root, service)).isDirectory()) continue;
    for (const dir of readdirSync(join(root, service)).sort()) {
      if (!/^v\d{8}$/.test(dir)) continue;
      const base = join(root, service, dir, service);
      const client = readClient(`${base}_client.d.ts`, `${base}_client.js`);
      const structs = readModels(`${base}_models.d.ts`);
      const errors = errorData.services[service]?.[client.version];
      const codes = [];
      const skippedCodes = [];
      for (const [code, texts] of Object.entries(errors?.codes ?? {}).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      )) {
        if (CODE.test(code)) codes.push({ code, ...texts });
        else skippedCodes.push(code);
      }
      const actions = client.actions.map((action) => {
        const request = structs.get(action.request);
        if (!request || !structs.has(action.response))
          throw new Error(`${service}/${dir} ${action.name}: request or response model missing`);
        const switchParam = request.fields?.find(
          (f) => f.name === 'Stream' && f.type.scalar.kind === 'boolean' && f.type.arrayDepth === 0,
        );
        const streaming = switchParam
          ? 'Stream'
          : action.name.endsWith('SSE') || ALWAYS_STREAMING.has(`${service}/${action.name}`)
            ? ''
            : null;
        const documented = [...new Set(errors?.actions?.[action.name] ?? [])].filter((c) => CODE.test(c)).sort();
        /** @type {Action} */
        const result = { ...action, multipart: client.multipart.has(action.name), streaming, errors: documented };
        const streamHost = STREAM_HOSTS[`${service}/${action.name}`];
        if (streamHost) result.streamHost = streamHost;
        return result;
      });
      actions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      out.push({ service, version: client.version, dir, host: client.host, actions, structs, codes, skippedCodes });
    }
  }
  return out;
}

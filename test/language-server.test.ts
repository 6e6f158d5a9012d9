/**
 * Editor support, proven with the server behind VS Code's YAML extension:
 * yaml-language-server reads our schema (through the file's modeline) and
 * puts a diagnostic, with the schema's Vietnamese text, on the line of a typo;
 * hovering a key shows the Vietnamese description.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';
import { criteria2023Dir, repoRoot } from './helpers/criteria.js';

const require = createRequire(import.meta.url);
const serverMain = join(require.resolve('yaml-language-server/package.json'), '..', 'bin', 'yaml-language-server');

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
  severity?: number;
}

let child: ChildProcess;
let connection: MessageConnection;
const diagnostics = new Map<string, Diagnostic[][]>();
const waiters: (() => void)[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, [serverMain, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.set(params.uri, [...(diagnostics.get(params.uri) ?? []), params.diagnostics]);
    waiters.splice(0).forEach((w) => w());
  });
  // The server asks for its settings; answer as VS Code would with our .vscode/settings.json.
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) => (item.section === 'yaml' ? { validate: true, hover: true, completion: true, schemaStore: { enable: false }, yamlVersion: '1.2' } : {})),
  );
  connection.onNotification(() => undefined);
  connection.onRequest(() => null);
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(repoRoot).href,
    capabilities: { textDocument: { publishDiagnostics: {}, hover: { contentFormat: ['markdown', 'plaintext'] } }, workspace: { configuration: true } },
    initializationOptions: {},
  });
  connection.sendNotification('initialized', {});
  connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: { validate: true, hover: true, schemaStore: { enable: false } } } });
}, 30_000);

afterAll(async () => {
  try {
    await connection.sendRequest('shutdown');
    connection.sendNotification('exit');
  } catch {
    // the server may already be gone
  }
  connection?.dispose();
  child?.kill();
});

/** Open a document at the path of the real province file (so its modeline finds the schema) and wait for non-empty diagnostics. */
async function diagnose(text: string, version: number): Promise<Diagnostic[]> {
  const uri = pathToFileURL(join(criteria2023Dir, 'province.yaml')).href;
  diagnostics.delete(uri);
  if (version === 1) connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  else connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const latest = diagnostics.get(uri)?.at(-1);
    if (latest && (latest.length > 0 || Date.now() > deadline - 15_000)) return latest;
    if (Date.now() > deadline) return latest ?? [];
    await new Promise<void>((resolve) => {
      waiters.push(resolve);
      setTimeout(resolve, 500);
    });
  }
}

describe('yaml-language-server with our schema', () => {
  const original = readFileSync(join(criteria2023Dir, 'province.yaml'), 'utf8');

  it('a typo gets a diagnostic on the right line', async () => {
    const text = original.replace('    max_points: 4\n', '    max_pointz: 4\n');
    const line = text.split('\n').findIndex((l) => l.includes('max_pointz'));
    const found = await diagnose(text, 1);
    const onLine = found.filter((d) => d.range.start.line === line);
    expect(onLine.length, JSON.stringify(found.slice(0, 5))).toBeGreaterThan(0);
  }, 30_000);

  it('a bad criterion id shows the schema’s Vietnamese message', async () => {
    const text = original.replace('  - id: dvc-toan-trinh', '  - id: DVC_Toan_Trinh');
    const line = text.split('\n').findIndex((l) => l.includes('DVC_Toan_Trinh'));
    const found = await diagnose(text, 2);
    const onLine = found.filter((d) => d.range.start.line === line);
    expect(onLine.map((d) => d.message).join('\n')).toContain('Mã tiêu chí phải là chữ thường không dấu');
  }, 30_000);

  it('hovering a key shows its Vietnamese description', async () => {
    const uri = pathToFileURL(join(criteria2023Dir, 'province.yaml')).href;
    connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: original }] });
    const line = original.split('\n').findIndex((l) => l.startsWith('total_points:'));
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 3 } })) as { contents: { value?: string } | string } | null;
    const text = typeof hover?.contents === 'string' ? hover.contents : (hover?.contents.value ?? '');
    expect(text).toContain('Tổng điểm chuẩn của cấp');
  }, 30_000);
});

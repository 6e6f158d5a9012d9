/**
 * The package as others get it: build into a scratch copy, `npm pack`,
 * install the tarball into a fresh project, and from there use tieuchi as
 * an ES module, as CommonJS (`require`), from TypeScript (`module: node16`
 * in an ES and in a CommonJS project, and `moduleResolution: bundler`), and
 * run the installed `tieuchi` command with npx, outside the clone. Slow
 * (npm install), hence the long timeout. Runs under whichever node runs the
 * tests: .ci/run runs it under Node 20 and Node 22.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provinceInputs, repoRoot } from '../helpers/criteria.js';

const work = mkdtempSync(join(tmpdir(), 'tieuchi-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
// npm and npx run under the node that runs this test (.ci/run puts Node 22 first on PATH for its second pass).
const env = { ...process.env, npm_config_update_notifier: 'false', PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env });
const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');

const app = join(work, 'app');
const unit = { id: 'so-tai-chinh', name: 'Sở Tài chính', level: 'province', inputs: provinceInputs() };

beforeAll(() => {
  // 1. A copy of the package with its own fresh build (the repository's dist/ may be mid-rebuild).
  const pkg = join(work, 'pkg');
  for (const entry of ['package.json', 'README.md', 'schemas', 'criteria', 'engine', 'scripts', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(repoRoot, entry), join(pkg, entry), { recursive: true });
  symlinkSync(join(repoRoot, 'node_modules'), join(pkg, 'node_modules'));
  try {
    run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], pkg);
  } catch (err) {
    // tsc still emits when another part of the tree has a type error; the uses below are the real test.
    if (!existsSync(join(pkg, 'dist/engine/index.js'))) throw err;
  }
  // The rest of `npm run build`: the precompiled criteria validator and the CommonJS entry's types.
  run(process.execPath, ['scripts/build-validator.mjs'], pkg);
  run(process.execPath, ['scripts/build-cjs-types.mjs'], pkg);
  rmSync(join(pkg, 'node_modules'));
  run(npm, ['pack', '--ignore-scripts', '--pack-destination', work], pkg);
  const tarball = readdirSync(work).find((n) => n.endsWith('.tgz'));
  expect(tarball).toBeDefined();

  // 2. A scratch project that installs the tarball.
  mkdirSync(app);
  cpSync(join(work, tarball!), join(app, tarball!));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  run(npm, ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], app);
  writeFileSync(join(app, 'unit.json'), JSON.stringify(unit));
}, 600_000);

const checkScored = (output: { unit: { status: string; criteria: { id: string; points: number }[] }; problems: unknown[]; files: number }) => {
  expect(output.problems).toEqual([]);
  expect(output.unit.status).toBe('complete');
  expect(output.unit.criteria.find((c) => c.id === 'dvc-toan-trinh')!.points).toBe(3.8);
  expect(output.files).toBe(3);
};

describe(`npm pack → install in a scratch project (node ${process.version})`, () => {
  it('ES module: import tieuchi, load the bundled criteria, score a unit', () => {
    writeFileSync(
      join(app, 'score.js'),
      `import { bundledCriteriaDir, loadCriteriaSet, scoreJson, submissionSchema } from 'tieuchi';
import { readFileSync } from 'node:fs';
const { set, problems } = loadCriteriaSet(bundledCriteriaDir(2023));
if (!set) { console.error(JSON.stringify(problems)); process.exit(1); }
const run = scoreJson(set, JSON.parse(readFileSync('unit.json', 'utf8')), { trace: false });
console.log(JSON.stringify({ unit: run.units[0], problems: run.problems, files: run.provenance.files.length, schemaLevel: submissionSchema(set.levels[0]).properties.level.const }));
`,
    );
    const output = JSON.parse(run(process.execPath, ['score.js'], app));
    checkScored(output);
    expect(output.schemaLevel).toBe('province');
  });

  it('CommonJS: require("tieuchi") gives the same API', () => {
    writeFileSync(
      join(app, 'score.cjs'),
      `const { bundledCriteriaDir, loadCriteriaSet, scoreJson, SubmissionValidator } = require('tieuchi');
const { set, problems } = loadCriteriaSet(bundledCriteriaDir(2023));
if (!set) { console.error(JSON.stringify(problems)); process.exit(1); }
const run = scoreJson(set, require('./unit.json'), { trace: false });
console.log(JSON.stringify({ unit: run.units[0], problems: run.problems, files: run.provenance.files.length, schemaProblems: new SubmissionValidator(set).check(require('./unit.json')) }));
`,
    );
    const output = JSON.parse(run(process.execPath, ['score.cjs'], app));
    checkScored(output);
    expect(output.schemaProblems).toEqual([]);
  });

  it('TypeScript: compiles with module node16 (ES and CommonJS projects) and with moduleResolution bundler', () => {
    const source = `import { bundledCriteriaDir, loadCriteriaSet, scoreJson, SubmissionValidator, type CriteriaSet, type Problem, type UnitScore } from 'tieuchi';
const { set } = loadCriteriaSet(bundledCriteriaDir(2023));
const loaded: CriteriaSet | undefined = set;
const unit: UnitScore | undefined = loaded ? scoreJson(loaded, {}).units[0] : undefined;
const validator: SubmissionValidator | undefined = loaded ? new SubmissionValidator(loaded) : undefined;
const problems: Problem[] = validator ? validator.check({}) : [];
// @ts-expect-error: a total is a number, so the types are really tieuchi's and not any.
const wrong: string | undefined = unit?.total;
console.log(unit?.total, problems.length, wrong);
`;
    const typeRoots = [join(repoRoot, 'node_modules/@types')];
    const projects = [
      // The CommonJS project also checks tieuchi's declaration files (skipLibCheck off): TS1471 lived there.
      { dir: 'ts-esm-node16', type: 'module', options: { module: 'node16', moduleResolution: 'node16', skipLibCheck: true } },
      { dir: 'ts-cjs-node16', type: 'commonjs', options: { module: 'node16', moduleResolution: 'node16', skipLibCheck: false } },
      { dir: 'ts-bundler', type: 'module', options: { module: 'esnext', moduleResolution: 'bundler', skipLibCheck: true } },
    ];
    for (const project of projects) {
      const dir = join(app, project.dir);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: project.dir, private: true, type: project.type }));
      writeFileSync(join(dir, 'index.ts'), source);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2022', strict: true, noEmit: true, types: ['node'], typeRoots, ...project.options }, include: ['index.ts'] }));
      // The scratch project's node_modules is one folder up: node resolution finds it from here.
      let output = '';
      try {
        output = run(process.execPath, [tsc, '-p', '.'], dir);
      } catch (err) {
        output = String((err as { stdout?: string }).stdout ?? err);
      }
      expect(output, project.dir).toBe('');
    }
  });

  it('npx tieuchi, outside the clone: --help, validate and score with explicit paths', () => {
    expect(run(npx, ['--no-install', 'tieuchi', '--help'], app)).toContain('validate');
    const validate = run(npx, ['--no-install', 'tieuchi', 'validate', 'node_modules/tieuchi/criteria/2023', '--lang', 'en'], app);
    expect(validate).toContain('valid');
    const scored = JSON.parse(run(npx, ['--no-install', 'tieuchi', 'score', '--criteria', 'node_modules/tieuchi/criteria/2023', '--input', 'unit.json', '--format', 'json'], app));
    expect(scored.units[0].criteria.find((c: { id: string }) => c.id === 'dvc-toan-trinh').points).toBe(3.8);
  });

  it('npx tieuchi score with worker threads: the workers run from the package, the same bytes as one thread', () => {
    const withThreads = (workers: string) =>
      execFileSync(npx, ['--no-install', 'tieuchi', 'score', '--criteria', 'node_modules/tieuchi/criteria/2023', '--input', 'unit.json', '--format', 'csv', '--now', '2024-01-31T00:00:00Z'], {
        cwd: app,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...env, TIEUCHI_SCORE_WORKERS: workers },
      });
    const parallel = withThreads('2');
    expect(parallel).toContain('dvc-toan-trinh');
    expect(parallel).toBe(withThreads('0'));
  });

  it('npx tieuchi, outside the clone and with no path: the criteria bundled in the package', () => {
    // The scratch project has no criteria/ folder: validate and score fall back to the package's own.
    expect(run(npx, ['--no-install', 'tieuchi', 'validate', '--lang', 'en'], app)).toContain('valid');
    const scored = JSON.parse(run(npx, ['--no-install', 'tieuchi', 'score', '--input', 'unit.json', '--format', 'json'], app));
    expect(scored.provenance.year).toBe(2023);
    expect(scored.provenance.status).toBe('signed');
    expect(scored.units[0].criteria.find((c: { id: string }) => c.id === 'dvc-toan-trinh').points).toBe(3.8);
  });
});

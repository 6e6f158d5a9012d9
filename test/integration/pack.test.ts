/**
 * The package as others get it: build into a scratch copy, `npm pack`,
 * install the tarball into a fresh project, and from there import 'tieuchi',
 * load the bundled 2023 criteria and score a unit; run the installed
 * `tieuchi` command too. Slow (npm install), hence the long timeout.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { provinceInputs, repoRoot } from '../helpers/criteria.js';

const work = mkdtempSync(join(tmpdir(), 'tieuchi-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (command: string, args: string[], cwd: string) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('npm pack → install in a scratch project', () => {
  it('imports tieuchi, loads the bundled criteria and scores a unit', () => {
    // 1. A copy of the package with its own fresh build (the repository's dist/ may be mid-rebuild).
    const pkg = join(work, 'pkg');
    for (const entry of ['package.json', 'README.md', 'schemas', 'criteria', 'engine', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(repoRoot, entry), join(pkg, entry), { recursive: true });
    try {
      run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], pkg);
    } catch (err) {
      // tsc still emits when another part of the tree has a type error; the import below is the real test.
      if (!existsSync(join(pkg, 'dist/engine/index.js'))) throw err;
    }
    run(npm, ['pack', '--ignore-scripts', '--pack-destination', work], pkg);
    const tarball = readdirSync(work).find((n) => n.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    // 2. A scratch project that installs the tarball.
    const app = join(work, 'app');
    cpSync(join(work, tarball!), join(app, tarball!));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    run(npm, ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], app);

    // 3. Use it as another tool would.
    const unit = { id: 'so-tai-chinh', name: 'Sở Tài chính', level: 'province', inputs: provinceInputs() };
    writeFileSync(
      join(app, 'score.js'),
      `import { bundledCriteriaDir, loadCriteriaSet, scoreJson, submissionSchema } from 'tieuchi';
const { set, problems } = loadCriteriaSet(bundledCriteriaDir(2023));
if (!set) { console.error(JSON.stringify(problems)); process.exit(1); }
const run = scoreJson(set, ${JSON.stringify(unit)}, { trace: false });
const schema = submissionSchema(set.levels[0]);
console.log(JSON.stringify({ unit: run.units[0], provenance: run.provenance, problems: run.problems, schemaLevel: schema.properties.level.const }));
`,
    );
    const output = JSON.parse(run(process.execPath, ['score.js'], app));
    expect(output.problems).toEqual([]);
    expect(output.unit.status).toBe('complete');
    expect(output.unit.criteria.find((c: { id: string }) => c.id === 'dvc-toan-trinh').points).toBe(3.8);
    expect(output.provenance.files).toHaveLength(3);
    expect(output.schemaLevel).toBe('province');

    // 4. The installed command.
    const validate = run(process.execPath, [join(app, 'node_modules/tieuchi/dist/engine/cli/main.js'), 'validate', 'node_modules/tieuchi/criteria/2023', '--lang', 'en'], app);
    expect(validate).toContain('valid');
  }, 600_000);
});

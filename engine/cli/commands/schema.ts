import type { Command } from 'commander';
import { submissionSchema } from '../../contract/submission-schema.js';
import { problem, type Lang } from '../../problems.js';
import { EXIT, type CliIo } from '../io.js';
import { loadSetOrReport, printProblems } from '../load.js';
import { writeOutput } from '../output.js';
import { type CommandContext, say, sharedOptionText } from '../context.js';

export interface SchemaOptions {
  criteria?: string;
  level?: string;
  out?: string;
}

/**
 * tieuchi schema: the JSON Schema of a valid submission for a year and level,
 * generated from the YAML. Without --level, one schema that accepts a
 * submission of any level of the year (chosen by its "level").
 */
export function schemaCommand(options: SchemaOptions, io: CliIo, lang: Lang): number {
  const set = loadSetOrReport(io, options.criteria, lang);
  if (!set) return EXIT.problems;
  let schema: Record<string, unknown>;
  if (options.level) {
    const level = set.levels.find((l) => l.id === options.level);
    if (!level) {
      printProblems(
        io,
        [
          problem('cli.usage', { vi: `Bộ tiêu chí năm ${set.year} không có cấp "${options.level}".`, en: `The ${set.year} criteria have no level "${options.level}".` }, {
            hint: { vi: `Các cấp: ${set.levels.map((l) => `${l.id} (${l.name})`).join(', ')}.`, en: `Levels: ${set.levels.map((l) => l.id).join(', ')}.` },
          }),
        ],
        lang,
      );
      return EXIT.problems;
    }
    schema = submissionSchema(level);
  } else {
    schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `tieuchi:submission/${set.year}`,
      title: `Số liệu của một đơn vị, năm ${set.year} (mọi cấp)`,
      oneOf: set.levels.map((level) => {
        const { $schema: _s, ...rest } = submissionSchema(level);
        return rest;
      }),
    };
  }
  return writeOutput(io, options.out, JSON.stringify(schema, null, 2), lang) ? EXIT.ok : EXIT.problems;
}

export function registerSchema(program: Command, { io, lang, setExit }: CommandContext): void {
  program
    .command('schema')
    .description(say(lang, 'in JSON Schema của số liệu một đơn vị cho một năm và cấp (sinh từ YAML)', "print the JSON Schema of one unit's submission for a year and level (generated from the YAML)"))
    .option('--criteria <dir>', sharedOptionText(lang).criteria)
    .option('--level <id>', say(lang, 'mã cấp, ví dụ province; bỏ trống: mọi cấp', 'level id, e.g. province; omitted: any level'))
    .option('--out <file>', say(lang, 'ghi vào tệp thay vì in ra', 'write to a file instead of stdout'))
    .action((opts: SchemaOptions) => setExit(schemaCommand(opts, io, lang)));
}

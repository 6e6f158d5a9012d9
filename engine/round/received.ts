/**
 * What the round has received: every file kept as sent, under
 * received/<sender>/<UTC time>-<sha8>.<ext>, never overwritten, and a line
 * in journal.jsonl (who, when, what, SHA-256) for each. A later file from the
 * same sender supersedes the earlier one input by input (see collect.ts); the
 * earlier file stays on disk, so the history is complete.
 *
 * Plain files rather than a database: the department can open, back up and
 * put the folder under version control with the tools it has, a received
 * file is the evidence of what was sent (its name carries its hash), and the
 * journal is readable line by line. Each write is atomic: a file is written
 * beside its final name and linked into place (link fails rather than
 * replace an existing file); the journal is appended one whole line at a time.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, linkSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { problem, type Problem } from '../problems.js';
import { JOURNAL_FILE, RECEIVED_DIR, type Round } from './config.js';
import { ID_PATTERN } from './yaml-file.js';

export const RECEIVED_EXTENSIONS = ['json', 'csv', 'xlsx', 'yaml'] as const;
export type ReceivedExtension = (typeof RECEIVED_EXTENSIONS)[number];

/** Largest file received: as for submissions read from disk. */
export const MAX_RECEIVED_BYTES = 20 * 1024 * 1024;

const NAME = /^(\d{8}T\d{6}\d{3}Z)-([0-9a-f]{8})\.(json|csv|xlsx|yaml)$/;

export interface ReceivedFile {
  /** Who sent it: an agency's id, a unit's id, or the department's id. */
  sender: string;
  /** Absolute path. */
  path: string;
  /** Path relative to the round folder, as shown in messages and results. */
  file: string;
  /** When it was received. */
  at: Date;
  ext: ReceivedExtension;
  sha8: string;
}

export interface JournalEntry {
  at: string;
  /** Who did it: the sender, or the person named with --by. */
  who: string;
  action: 'receive' | 'appraise' | 'init';
  file?: string;
  sha256?: string;
  sender?: string;
  original?: string;
  note?: string;
}

/** 2023-12-10T08:30:00.000Z → 20231210T083000000Z (sortable, safe in every file system). */
export function stampOf(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

function dateOfStamp(stamp: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp)!;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
}

/** The end of the deadline day in Vietnam (UTC+7): a file received at or after it is late. */
export function deadlineEnd(deadline: string): Date {
  return new Date(new Date(`${deadline}T00:00:00+07:00`).getTime() + 86_400_000);
}

export function isLate(round: Round, at: Date): boolean {
  return at.getTime() >= deadlineEnd(round.config.deadline).getTime();
}

/** One whole line per entry, appended: the journal is never rewritten. */
export function appendJournal(roundDir: string, entry: JournalEntry): void {
  appendFileSync(join(roundDir, JOURNAL_FILE), JSON.stringify(entry) + '\n', { encoding: 'utf8' });
}

export interface ReceiveOptions {
  now?: Date;
  /** The name the file had when sent (kept in the journal). */
  original?: string;
  /** Who handed it in, when not the sender itself (a person at the department). */
  by?: string;
}

export type ReceiveResult = { ok: true; file: ReceivedFile; duplicate: boolean } | { ok: false; problems: Problem[] };

/** Keep a file from `sender`. Never overwrites; the same bytes sent twice are kept once (and journaled twice). */
export function receiveFile(round: Round, sender: string, bytes: Buffer, ext: ReceivedExtension, options: ReceiveOptions = {}): ReceiveResult {
  if (!ID_PATTERN.test(sender)) {
    return { ok: false, problems: [problem('round.received', { vi: `Mã người gửi "${sender}" không hợp lệ.`, en: `Invalid sender id "${sender}".` })] };
  }
  if (bytes.length > MAX_RECEIVED_BYTES) {
    return { ok: false, problems: [problem('round.received', { vi: `Tệp quá lớn (${bytes.length} byte, tối đa ${MAX_RECEIVED_BYTES}).`, en: `File too large (${bytes.length} bytes, at most ${MAX_RECEIVED_BYTES}).` })] };
  }
  const now = options.now ?? new Date();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = join(round.dir, RECEIVED_DIR, sender);
  mkdirSync(dir, { recursive: true });
  const same = listSenderFiles(round, sender).find((f) => f.sha8 === sha256.slice(0, 8) && f.ext === ext);
  const journal = (file: ReceivedFile, note?: string) =>
    appendJournal(round.dir, { at: now.toISOString(), who: options.by ?? sender, action: 'receive', sender, file: file.file, sha256, ...(options.original ? { original: options.original } : {}), ...(note ? { note } : {}) });
  if (same) {
    journal(same, 'trùng nội dung với tệp đã nhận');
    return { ok: true, file: same, duplicate: true };
  }
  let at = now;
  let name = `${stampOf(at)}-${sha256.slice(0, 8)}.${ext}`;
  // Two different files in the same millisecond: the later one moves on by a millisecond.
  while (existsSync(join(dir, name))) {
    at = new Date(at.getTime() + 1);
    name = `${stampOf(at)}-${sha256.slice(0, 8)}.${ext}`;
  }
  const final = join(dir, name);
  const temporary = join(dir, `.${name}.${process.pid}.tmp`);
  writeFileAtomic.sync(temporary, bytes);
  try {
    linkSync(temporary, final);
  } finally {
    unlinkSync(temporary);
  }
  const file: ReceivedFile = { sender, path: final, file: `${RECEIVED_DIR}/${sender}/${name}`, at, ext, sha8: sha256.slice(0, 8) };
  journal(file);
  return { ok: true, file, duplicate: false };
}

function listSenderFiles(round: Round, sender: string): ReceivedFile[] {
  const dir = join(round.dir, RECEIVED_DIR, sender);
  if (!existsSync(dir)) return [];
  const out: ReceivedFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = NAME.exec(name);
    if (m) out.push({ sender, path: join(dir, name), file: `${RECEIVED_DIR}/${sender}/${name}`, at: dateOfStamp(m[1]!), ext: m[3] as ReceivedExtension, sha8: m[2]! });
  }
  return out;
}

/** Every received file, oldest first; files tieuchi did not name are reported, not read. */
export function listReceived(round: Round): { files: ReceivedFile[]; problems: Problem[] } {
  const root = join(round.dir, RECEIVED_DIR);
  const files: ReceivedFile[] = [];
  const problems: Problem[] = [];
  if (!existsSync(root)) return { files, problems };
  for (const sender of readdirSync(root).sort()) {
    const dir = join(root, sender);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.')) continue;
      if (!NAME.test(name)) {
        problems.push(
          problem('round.received', { vi: `Tệp "${RECEIVED_DIR}/${sender}/${name}" không do tieuchi nhận (tên không có dạng thời-điểm-mã-băm) nên không được đọc.`, en: `"${RECEIVED_DIR}/${sender}/${name}" was not received by tieuchi (its name is not time-hash) and is not read.` }, {
            file: `${RECEIVED_DIR}/${sender}/${name}`,
            severity: 'warning',
            hint: { vi: `Nhận tệp bằng: tieuchi round receive ${round.shown} --from ${sender} TỆP (tệp được giữ nguyên, ghi nhật ký).`, en: `Receive it with: tieuchi round receive ${round.shown} --from ${sender} FILE.` },
          }),
        );
      }
    }
    files.push(...listSenderFiles(round, sender));
  }
  files.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.file < b.file ? -1 : 1));
  return { files, problems };
}

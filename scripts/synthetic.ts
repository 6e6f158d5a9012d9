/**
 * Synthetic submissions for benchmarks: valid random values for every input
 * of every criterion, generated from the criteria themselves (deterministic).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { CriteriaSet } from '../engine/criteria-set.js';
import type { InputDef, Submission } from '../engine/model.js';

/** A small deterministic PRNG (mulberry32), so runs are comparable. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function valueFor(def: InputDef, next: () => number): unknown {
  switch (def.type) {
    case 'percent':
      return Math.round(next() * 10000) / 100;
    case 'ratio': {
      const total = 1 + Math.floor(next() * 10);
      return { achieved: Math.floor(next() * (total + 1)), total };
    }
    case 'count':
      return Math.floor(next() * 3);
    case 'date': {
      if (def.none_allowed && next() < 0.05) return null;
      const month = 1 + Math.floor(next() * 12);
      const day = 1 + Math.floor(next() * 28);
      return `2023-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    }
    case 'choice':
      return def.options![Math.floor(next() * def.options!.length)]!.id;
    case 'boolean':
      return next() < 0.7;
  }
}

export function syntheticSubmissions(set: CriteriaSet, count: number, seed = 2023): Submission[] {
  const next = random(seed);
  const submissions: Submission[] = [];
  for (let i = 0; i < count; i++) {
    const level = set.levels[i % set.levels.length]!;
    const inputs: Record<string, Record<string, unknown>> = {};
    for (const criterion of level.criteria) {
      inputs[criterion.id] = Object.fromEntries(criterion.inputs.map((input) => [input.id, valueFor(input.def, next)]));
    }
    submissions.push({ id: `don-vi-${i}`, name: `Đơn vị tổng hợp ${i}`, level: level.id, inputs, mode: 'json' });
  }
  return submissions;
}

/**
 * A JSON submissions file of `count` units (levels in turn), written as it
 * is generated: a million units (about 850 MB) never sit in memory. Returns
 * the file's size in bytes.
 */
export function writeSyntheticJson(set: CriteriaSet, count: number, path: string, seed = 2023): number {
  const next = random(seed);
  const fd = openSync(path, 'w');
  let bytes = 0;
  let pending: string[] = [];
  const flush = () => {
    const chunk = Buffer.from(pending.join(''), 'utf8');
    writeSync(fd, chunk);
    bytes += chunk.length;
    pending = [];
  };
  try {
    pending.push('[\n');
    for (let i = 0; i < count; i++) {
      const level = set.levels[i % set.levels.length]!;
      const inputs: Record<string, Record<string, unknown>> = {};
      for (const criterion of level.criteria) inputs[criterion.id] = Object.fromEntries(criterion.inputs.map((input) => [input.id, valueFor(input.def, next)]));
      pending.push((i ? ',\n' : '') + JSON.stringify({ id: `don-vi-${i}`, name: `Đơn vị tổng hợp ${i}`, level: level.id, inputs }));
      if (pending.length >= 2000) flush();
    }
    pending.push('\n]\n');
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

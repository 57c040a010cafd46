import { singular, stem, words } from './words.js';

/**
 * A small map of workplace synonyms and abbreviations (HR, IT, expenses): what people type in Slack ("PTO",
 * "WFH", "401k", "my boss") against what handbooks write ("vacation", "remote work", "pension", "manager").
 * Each group is one meaning; the first entry names it. Kept small and general on purpose: measured on both
 * shipped evaluation sets (BENCHMARKS.md), not grown to fit them.
 */
const GROUPS: string[][] = [
  ['vacation', 'pto', 'paid time off', 'time off', 'annual leave', 'days off', 'holiday allowance'],
  ['parental', 'maternity', 'paternity', 'parental leave', 'baby leave'],
  ['child', 'children', 'kid', 'kids', 'son', 'daughter'],
  [
    'partner',
    'spouse',
    'husband',
    'wife',
    'girlfriend',
    'boyfriend',
    'fiance',
    'fiancee',
    'fiancé',
    'fiancée',
  ],
  ['sick', 'ill', 'unwell'],
  ['remote', 'wfh', 'work from home', 'working from home', 'home office'],
  ['pension', '401k', 'retirement'],
  ['laptop', 'computer', 'macbook', 'mac', 'notebook'],
  ['phone', 'mobile', 'cellphone'],
  ['two-factor', '2fa', 'mfa', 'second factor'],
  ['text message', 'sms', 'text messages'],
  ['expense', 'expenses', 'reimburse', 'reimbursed', 'reimbursement', 'claim'],
  ['allowance', 'per diem', 'stipend'],
  ['flight', 'flights', 'fly', 'plane'],
  ['salary', 'paycheck', 'payday', 'wage', 'wages', 'pay'],
  ['company card', 'corporate card', 'credit card', 'corporate credit card'],
  ['manager', 'boss'],
  ['individual contributor', 'ic'],
  ['learning', 'training', 'course', 'courses'],
  ['ai tool', 'chatgpt', 'generative ai', 'llm'],
  ['password', 'login', 'credentials'],
  ['gym', 'fitness', 'sport'],
  ['therapist', 'therapy', 'counselling', 'counseling', 'mental health'],
  ['resign', 'resignation', 'quit', 'quitting'],
  ['side project', 'side gig', 'second job', 'freelance', 'freelancing'],
  ['one-to-one', 'one-to-ones', '1:1', '1:1s', '1on1', '1on1s', 'one on one'],
  ['colleague', 'coworker', 'co-worker', 'teammate'],
  ['meal', 'meals', 'dinner', 'lunch'],
  ['new joiner', 'new hire', 'first day', 'onboarding'],
  [
    'grandparent',
    'grandmother',
    'grandfather',
    'grandma',
    'grandpa',
    'granny',
    'gran',
    'nan',
    'nana',
    'grandad',
    'granddad',
  ],
  ['die', 'dies', 'died', 'death', 'passed away', 'passes away', 'pass away'],
  ['abroad', 'another country', 'other country', 'overseas', 'foreign country'],
  ['doctor', 'physician', 'gp', 'medical practitioner'],
];

/** The group of being in another country: a passage holding it covers a country the question names (soft-coverage.ts). */
export const ABROAD_GROUP = GROUPS.findIndex((group) => group[0] === 'abroad');

// Each phrase as its sequence of singular words, so a group matches plural or not: "side projects" and "side
// project", "individual contributors", "claims". Longest first at each start word, so "parental leave" is read
// before "parental".
const PHRASES = GROUPS.flatMap((group, g) =>
  group.map((phrase) => ({ forms: words(phrase).map(singular), g })),
);
const BY_FIRST = new Map<string, Array<{ forms: string[]; g: number }>>();
for (const p of [...PHRASES].sort((a, b) => b.forms.length - a.forms.length)) {
  const first = p.forms[0] as string;
  BY_FIRST.set(first, [...(BY_FIRST.get(first) ?? []), p]);
}

/** Every word the map's phrases are made of ("maternity", "onboarding", "diem"): words members type. */
export function synonymWords(): string[] {
  return [...new Set(GROUPS.flat().flatMap(words))];
}

/** One word of a text as search reads it: the word as written, and its stem or synonym-group token. */
export interface ReadWord {
  word: string;
  /** The (Porter2) stem, or "syn<g>" for the first word of a synonym phrase (the phrase's other words are dropped). */
  term: string;
  /** Index of the synonym group this word starts, if any. */
  group?: number;
}

/** The words of a text with every synonym phrase read as one token per meaning ("PTO", "time off" → "syn0"). */
export function readWords(text: string): ReadWord[] {
  const ws = words(text);
  const forms = ws.map(singular);
  const out: ReadWord[] = [];
  for (let i = 0; i < ws.length; ) {
    const match = BY_FIRST.get(forms[i] as string)?.find((p) => p.forms.every((s, k) => forms[i + k] === s));
    if (match) {
      out.push({
        word: ws.slice(i, i + match.forms.length).join(' '),
        term: `syn${match.g}`,
        group: match.g,
      });
      i += match.forms.length;
    } else {
      out.push({ word: ws[i] as string, term: stem(ws[i] as string) });
      i++;
    }
  }
  return out;
}

/** The synonym groups a text mentions (by index), each with the phrase it used. */
export function synonymGroups(text: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const w of readWords(text))
    if (w.group !== undefined && !found.has(w.group)) found.set(w.group, w.word);
  return found;
}

/** The question plus the other phrasings of each meaning it mentions, for full-text search to match. */
export function expandQuery(question: string): string {
  const extra: string[] = [];
  for (const [g, used] of synonymGroups(question)) {
    const usedForm = words(used).map(singular).join(' ');
    for (const phrase of GROUPS[g] ?? []) {
      if (words(phrase).map(singular).join(' ') !== usedForm) extra.push(phrase);
    }
  }
  return extra.length ? `${question} ${extra.join(' ')}` : question;
}

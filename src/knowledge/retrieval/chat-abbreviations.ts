/**
 * Words chat shortens that handbooks write out ("docs", "yrs", "appt", "mgr"): each read as its full word, in
 * questions and passages alike, so coverage, rarity and quotes see one word ("will my manager see my medical docs"
 * and "Supervisors do not see your medical documents" share "documents"). Only shortenings that stand for one word
 * in workplace chat: not "hr" (human resources, or hours), "min" (minimum, or minute), "conf" (conference, or
 * confidential), nor words handbooks use as themselves ("app", "admin"). Full-text search is given the full word
 * too (question-terms.ts `searchableQuestion`). Measured in BENCHMARKS.md, twenty-sixth session.
 */
// A Map, not an object: "constructor" or "toString" typed in a question must not find Object's own members.
const FULL_WORDS = new Map<string, string>(
  Object.entries({
    doc: 'document',
    docs: 'documents',
    info: 'information',
    mgr: 'manager',
    mgrs: 'managers',
    dept: 'department',
    depts: 'departments',
    hrs: 'hours',
    yr: 'year',
    yrs: 'years',
    wk: 'week',
    wks: 'weeks',
    mins: 'minutes',
    mths: 'months',
    appt: 'appointment',
    appts: 'appointments',
    req: 'request',
    reqs: 'requests',
    msg: 'message',
    msgs: 'messages',
    govt: 'government',
    ppl: 'people',
    bday: 'birthday',
    mtg: 'meeting',
    mtgs: 'meetings',
    acct: 'account',
    pwd: 'password',
    vacay: 'vacation',
    convo: 'conversation',
    intl: 'international',
    approx: 'approximately',
    mgmt: 'management',
    reimb: 'reimbursement',
  }),
);

/** A lowercase word written out when chat shortens it ("docs" → "documents"); any other word as it is. */
export const fullWord = (word: string): string => FULL_WORDS.get(word) ?? word;

/** A text with every chat shortening written out, the rest as typed ("ask my Mgr for the docs" → "… manager … documents"). */
export const withFullWords = (text: string): string =>
  text.replace(/\p{L}+/gu, (w) => FULL_WORDS.get(w.toLowerCase()) ?? w);

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIDENCE } from '../../../src/knowledge/retrieval/confidence.js';
import {
  searchableQuestion,
  topicCoverage,
  topicTerms,
  withoutFraming,
  wordsInCapitals,
} from '../../../src/knowledge/retrieval/question-terms.js';
import { querySnippet } from '../../../src/knowledge/retrieval/snippets.js';
import { expandQuery } from '../../../src/knowledge/retrieval/synonyms.js';
import { termsOf, termWeights, weightedCoverage } from '../../../src/knowledge/retrieval/term-weights.js';

describe('reading a question the way a person means it', () => {
  it('drops greetings, thanks, "pls", mentions and emoji, and keeps the question', () => {
    expect(searchableQuestion('<@U123> hey team :wave: how do I book flights pls? thanks!!')).toBe(
      'team how do I book flights',
    );
    // Only filler: searched as typed rather than as nothing.
    expect(searchableQuestion('hey thanks')).toBe('hey thanks');
  });

  it('counts only topic words against coverage: filler and "how long / can I get" do not lower it', () => {
    const passage = 'Parental leave: every new parent gets 20 weeks at full pay.';
    expect(topicCoverage(topicTerms('hey! how long is parental leave pls'), passage)).toBe(1);
    expect(topicCoverage(topicTerms('how long is parental leave for grandparents'), passage)).toBeLessThan(1);
    // Nor is how good the asker wants it: "a proper office chair" is an office chair.
    expect(topicTerms('can I get a proper office chair? a decent one, or better a nice one')).toEqual(
      topicTerms('can I get an office chair? one, or one'),
    );
    // Chat spellings of function words ("thru", "gonna", "u") are no topic either.
    expect(topicTerms('gonna take parental leave, how long is it for u?? thru HR?')).toEqual(
      topicTerms('take parental leave, how long is it? HR?'),
    );
  });

  it('reads abbreviations and synonyms as the words handbooks use', () => {
    expect(topicCoverage(topicTerms('how much PTO do I get'), 'You get 23 days of paid vacation.')).toBe(1);
    expect(expandQuery('can I use SMS for 2FA')).toContain('text message');
    expect(expandQuery('can I use SMS for 2FA')).toContain('second factor');
    expect(expandQuery('where is the office')).toBe('where is the office');
    // Family and bereavement as members say them: "my nan passed away" is the handbook's "a grandparent dies",
    // "my girlfriend" its "partner"; "passed" alone ("I passed my probation") is not a death.
    const bereavement = 'Bereavement leave: if a grandparent dies you can take five days off.';
    expect(topicCoverage(topicTerms('my nan passed away, how many days off?'), bereavement)).toBe(1);
    expect(topicCoverage(topicTerms('grandad died'), bereavement)).toBe(1);
    expect(topicCoverage(topicTerms('I passed my probation'), bereavement)).toBe(0);
    // "doctor" is the handbook's "physician" or "GP".
    const note = 'You need an original medical certification signed by your physician.';
    expect(topicCoverage(topicTerms('does it have to be signed by a doctor?'), note)).toBe(1);
    for (const who of ['girlfriend', 'fiancé', 'fiancee']) {
      expect(topicCoverage(topicTerms(who), 'Partners get four weeks at full pay.')).toBe(1);
    }
  });

  it('reads the words chat shortens as the words handbooks write out, and searches the full word', () => {
    const privacy = 'Your manager does not see your medical documents.';
    expect(topicCoverage(topicTerms('will my mgr see my medical docs'), privacy)).toBe(1);
    expect(topicTerms('5 yrs in, how many hrs of leave per pay period?')).toEqual(
      topicTerms('5 years in, how many hours of leave per pay period?'),
    );
    // Postgres reads "docs" as "doc": full-text search is given the full word, the rest of the message as typed.
    expect(searchableQuestion('will my Mgr see my medical docs? ask IT')).toBe(
      'will my manager see my medical documents? ask IT',
    );
    // Not a shortening of one word: "hr" (human resources, or hours), "min" (minimum, or minute).
    expect(searchableQuestion('ask hr for the min')).toBe('ask hr for the min');
    // Words that are names of an object's own members in JavaScript are words like any other.
    expect(searchableQuestion('constructor toString docs')).toBe('constructor toString documents');
    expect(topicTerms('constructor valueOf')).toEqual(['constructor', 'valueof']);
  });

  it('matches words and synonym phrases whatever their inflection, as Postgres stems them', () => {
    // "side gig" and "Side projects", "IC" and "individual contributors": one meaning each, plural or not.
    expect(
      topicCoverage(topicTerms('am I allowed to have a side gig'), '## Side projects\nThey are fine.'),
    ).toBe(1);
    expect(
      topicCoverage(topicTerms('levels for an IC?'), 'Levels: one ladder for individual contributors.'),
    ).toBe(1);
    // Porter2, like Postgres's 'english' configuration: "making" meets "make", "travelling" meets "travel".
    expect(topicCoverage(topicTerms('who is making the travelling rules'), 'Who makes travel rules')).toBe(1);
  });

  it('reads an irregular verb in any form as one word: "stole" meets "stolen", "lose" meets "lost"', () => {
    const stolen = 'If a laptop is lost or stolen, report it within one hour.';
    expect(topicCoverage(topicTerms('someone stole my laptop from my car!!'), stolen)).toBeGreaterThan(
      topicCoverage(topicTerms('someone nicked my laptop from my car!!'), stolen),
    );
    expect(topicCoverage(topicTerms('someone stole my laptop'), stolen)).toBe(1);
    expect(topicCoverage(topicTerms('do i lose my unused days?'), 'Unused days are lost on 1 April.')).toBe(
      1,
    );
    // Forms that are mostly another word stay apart: "the ground floor" is no grinding, a "broken laptop" no
    // lunch break.
    expect(topicCoverage(topicTerms('where is the ground floor'), 'Grind the coffee beans.')).toBe(0);
    expect(topicCoverage(topicTerms('broken laptop'), 'Take a lunch break. Laptops are replaced.')).toBe(0.5);
  });

  it('reads "how quickly", "how early", "length?" and "minimum" as asking for an amount, not as the topic', () => {
    const passage = 'Critical security updates must be merged within 48 hours.';
    expect(topicCoverage(topicTerms('how quickly must we merge critical security updates'), passage)).toBe(1);
    expect(topicTerms('quick q - parental leave length?')).toEqual(['syn1']);
    expect(topicTerms('deadline for expense claims?')).toEqual(['syn11']);
    // "minimum" and "maximum" ask for the bound the passage states ("at least 14 characters", "up to €50").
    expect(topicTerms('What is the minimum password length?')).toEqual(['syn20']);
    expect(topicTerms('max hotel cost a night?')).toEqual(['hotel', 'cost', 'night']);
    // "things" names nothing a passage would hold: "if a deploy breaks things" asks about a deploy that breaks.
    expect(topicTerms('if a deploy breaks things')).toEqual(['deploy', 'break']);
    // Elsewhere the same words name the topic: "late arrivals", "early retirement".
    expect(topicTerms('rules for late arrivals')).toContain('late');
    expect(topicTerms('how early can I take early retirement')).toEqual(['earli', 'syn6']);
  });

  it('searches a question without its framing, and as typed when framing is all it is', () => {
    expect(withoutFraming('how far ahead do i need to get my leave request in?')).toBe(
      'how ahead do i to my leave request in?',
    );
    // Inflected framing too ("needed", "getting"); "how fast" asks a degree, "fast" no topic.
    expect(withoutFraming('how fast is the laptop getting replaced if needed')).toBe(
      'how is the laptop replaced if',
    );
    expect(withoutFraming('how long')).toBe('how long');
    expect(withoutFraming('can I get it?')).toBe('can I get it?');
  });

  it('reads "IT" in capitals as the department, not the stop word "it"', () => {
    const passage = 'If your laptop breaks, open a ticket in the IT portal.';
    expect(topicTerms('who do I ask in IT?')).toEqual(['ask', 'inform', 'technolog']);
    expect(topicCoverage(topicTerms('where is the IT portal'), passage)).toBe(1);
    expect(topicCoverage(topicTerms('where is the information technology portal'), passage)).toBe(1);
    // A passage without the department does not cover it.
    expect(
      topicCoverage(topicTerms('where is the IT portal'), 'The benefits portal opens in May.'),
    ).toBeCloseTo(1 / 3);
    // "it" in lower case, and "IT" beside another word in capitals, stay the pronoun.
    expect(topicTerms('where do I find it')).toEqual(['find']);
    expect(topicTerms('READ IT BEFORE YOU SIGN')).toEqual(['read', 'sign']);
  });

  it('does not count clitics and negations as topic words', () => {
    expect(topicTerms("where's the list of holidays")).toEqual(['list', 'holiday']);
    expect(topicTerms("do I get paid for vacation I didn't take")).not.toContain("didn't");
  });

  it('takes words typed in capitals for acronyms, never for typos: "AWS", "HSA", not "I" or a capitalised word', () => {
    expect([...wordsInCapitals('Is AWS or HSA ok? I need IT, Figma and the OKR doc')]).toEqual([
      'aws',
      'hsa',
      'it',
      'okr',
    ]);
    // A question shouted in capitals: every word is left as typed (none is read as a typo).
    expect(wordsInCapitals('HWO MANY DAYS').size).toBe(3);
  });

  it('reads contractions typed without an apostrophe as the stop words they are, and searches neither form', () => {
    expect(topicTerms('why doesnt my badge work, thats weird')).toEqual(['badg', 'work', 'weird']);
    expect(topicTerms('im new, cant log in')).toEqual(['new', 'log']);
    // Postgres reads "doesn't" as "doesn", "I'm" as "m", "dont" as itself: none of them a stop word there, so
    // each would have to be in a passage for all the question's words to match.
    expect(searchableQuestion("why doesn't my badge work? I'm new and dont know")).toBe(
      'why my badge work? new and know',
    );
    // A possessive is not a contraction, and words like "ill" and "well" are words.
    expect(searchableQuestion("the company's policy if I'm ill")).toBe("the company's policy if ill");
    expect(topicTerms('feeling ill, well not great')).toEqual(['feel', 'syn4', 'well', 'great']); // syn4: sick
  });
});

describe('weighing the words of a question', () => {
  const leave =
    'Sick days: there is no fixed number of sick days. Carers get up to 10 days of paid leave per year.';
  const payroll = 'Salaries are paid monthly. Payslips appear in Tandem two days before payday.';
  const coverage = (question: string, text: string) =>
    weightedCoverage(termWeights(question, [termsOf(leave), termsOf(payroll)]), termsOf(text));

  it('lets a passage through that holds the rare word the question is about, whatever common words it lacks', () => {
    // "find" is missing, but "payslip" is what the question is about.
    expect(coverage('where can I find my payslip', payroll)).toBeGreaterThanOrEqual(
      DEFAULT_CONFIDENCE.minTermCoverage,
    );
  });

  it('holds back a passage that shares the common words but not the one the documents never mention', () => {
    // "days" and "leave" are there, "bereavement" is nowhere: two of three words, but not the topic.
    expect(coverage('how many days of bereavement leave do we get?', leave)).toBeLessThan(
      DEFAULT_CONFIDENCE.minTermCoverage,
    );
  });

  it('gives a number the asker typed no weight: "2 weeks" is their situation, not the topic', () => {
    expect(termWeights('book 2 weeks off', []).get('2')).toBe(0);
  });
});

describe('query-focused snippets', () => {
  const passage = [
    'Business travel',
    'Book all business trips through the travel desk in Wayfare. Book flights early when you can.',
    'Hotels up to 150 euros a night are approved automatically; in London, Paris and Zurich the limit is 220 euros.',
    'Travel insurance is included for every trip booked through Wayfare.',
  ].join('\n\n');

  it('shows the sentence that answers, even far down the passage, with "…" where text is skipped', () => {
    const s = querySnippet("what's the hotel limit in london", passage, { maxChars: 150 });
    expect(s).toContain('in London, Paris and Zurich the limit is 220 euros.');
    expect(s.startsWith('…')).toBe(true);
    expect(s).not.toContain('Book all business trips');
  });

  it('for "what\'s the most …" shows the sentence holding a figure among those on the topic', () => {
    const extra = [
      'Credit hours',
      'Only people on flexible schedules can earn and use credit hours, and you ask for credit hours in HR Links before you work them.',
      'You can have up to 24 credit hours accrued at any given time.',
      'Credit hours never expire, and your supervisor approves credit hours in HR Links.',
    ].join('\n\n');
    const s = querySnippet('whats the most credit hours i can have banked at once', extra, { maxChars: 140 });
    expect(s).toContain('up to 24 credit hours');
  });

  it('fills the room left with the sentences around the match: a short passage reads whole', () => {
    // The sentence that answers "when" holds none of the question's words; it sits just before the match.
    const reviews = [
      'Salary reviews',
      'Salaries are reviewed once a year, in March, using our salary bands. Raises take effect on 1 April.',
      'A promotion outside the review cycle comes with its raise in the month it is approved.',
    ].join('\n');
    expect(querySnippet('when are raises', reviews)).toBe(
      '… Salaries are reviewed once a year, in March, using our salary bands. Raises take effect on 1 April. A promotion outside the review cycle comes with its raise in the month it is approved.',
    );
    // Only within the room: the other sentences of a longer passage stay out, marked "…".
    expect(querySnippet('when are raises', reviews, { maxChars: 150 })).toBe(
      '… Raises take effect on 1 April. A promotion outside the review cycle comes with its raise in the month it is approved.',
    );
    // Never the other rows of a table: they are other cases, not context.
    const table = ['Pay days', '| Team | Pay day |', '| Office | The 25th |', '| Warehouse | Every Friday |'];
    expect(querySnippet('when does the warehouse get paid', table.join('\n'))).toBe(
      '…\n| Team | Pay day |\n…\n| Warehouse | Every Friday |',
    );
  });

  it('prefers, of two sentences on the topic, the one shaped like the answer asked for', () => {
    const leave = [
      'Partner leave',
      'You can book partner leave in Harbour, and partner leave is for the parent who did not give birth.',
      'Partner leave lasts four weeks at full pay.',
      'Ask HR about shared parental leave.',
    ].join('\n');
    // "how long": the span of time answers, though the other sentence is longer and holds the words twice.
    expect(querySnippet('how long is partner leave', leave, { maxChars: 60, maxSentences: 1 })).toBe(
      '… Partner leave lasts four weeks at full pay. …',
    );
    // Not a "how long" question: the sentence holding more of its words.
    expect(querySnippet('who gets partner leave', leave, { maxChars: 60, maxSentences: 1 })).toContain(
      'You can book partner leave in Harbour',
    );
    // "where": the sentence naming a place ("in Tandem"), not the first one on the topic.
    const booking = [
      'Everyone gets 23 days of paid vacation a year.',
      'Booking time off',
      'Book time off in Tandem, our HR tool.',
      'For anything longer than five days, book four weeks ahead.',
    ].join('\n');
    expect(querySnippet('where do I request time off', booking, { maxChars: 60, maxSentences: 1 })).toContain(
      'Book time off in Tandem',
    );
  });

  it('reads a sentence with its section heading, and shows the heading that made it match', () => {
    const laptops = [
      'Laptops',
      'New joiners get a laptop on their first day. Laptops are replaced every three years.',
      'When you leave',
      'Return all equipment on your last day. You can buy your laptop at its depreciated value.',
    ].join('\n');
    const s = querySnippet('can I keep my laptop when I leave', laptops, { maxSentences: 1 });
    expect(s).toBe(
      '… When you leave: Return all equipment on your last day. You can buy your laptop at its depreciated value.',
    );
  });

  it("quotes the table row that answers with its table's column names (a row is never read as a heading)", () => {
    const notice = [
      'Notice periods',
      'How much notice you give depends on your contract.',
      '| Your role | Notice you give |',
      '| Hourly staff | 2 weeks |',
      '| Salaried staff | 1 calendar month |',
      '| Directors | 3 calendar months |',
      'If your contract says otherwise, the contract wins.',
    ].join('\n');
    const s = querySnippet("i'm salaried, how much notice do i give?", notice);
    // Each row on a line of its own; not the row after it (another case).
    expect(s).toContain('| Your role | Notice you give |\n…\n| Salaried staff | 1 calendar month |\n…');
    expect(s).not.toContain('Directors');
    expect(s).not.toContain('| Salaried staff | 1 calendar month |:');
    // A row from an HTML or DOCX table ("a | b") reads the same.
    const html = notice.replace(/^\| (.*) \|$/gm, '$1');
    expect(querySnippet("i'm salaried, how much notice do i give?", html)).toContain(
      'Your role | Notice you give\n…\nSalaried staff | 1 calendar month',
    );
  });

  it("quotes a table whole, in order, when its column names match and no row names the asker's case", () => {
    const leave = [
      'How your allowance grows',
      '| Completed years of service | Annual leave (full-time) |',
      '| Fewer than 2 | 25 days |',
      '| 2 to 4 | 26 days |',
      '| 5 to 9 | 27 days |',
      '| 10 or more | 30 days |',
      'Part-time colleagues get a pro rata share based on their contracted hours.',
    ].join('\n');
    // Every band is a case of the answer: none left out, none shown out of order, never the column names alone.
    expect(querySnippet('how much annual leave do i get', leave)).toContain(
      '| Completed years of service | Annual leave (full-time) |\n| Fewer than 2 | 25 days |\n| 2 to 4 | 26 days |\n| 5 to 9 | 27 days |\n| 10 or more | 30 days |',
    );
    // A table is never the context around a match: the sentence that answers is quoted without the column names
    // after it, which alone would say nothing.
    const grows = ['Leave grows with service.', '| Years | Days |', '| Under 5 | 25 |', '| 5 or more | 27 |'];
    expect(querySnippet('does leave grow', grows.join('\n'))).toBe('Leave grows with service. …');
    // A line of its own in table form ("a | b" from HTML or DOCX), with no rows under it, reads as a sentence.
    expect(
      querySnippet('what is the payroll phone number', 'Contacts\nPayroll phone | 01632 960 111\nAsk HR.'),
    ).toContain('Payroll phone | 01632 960 111');
    // Only as far as it fits: the rows that do not are marked "…", the first ones shown.
    expect(querySnippet('how much annual leave do i get', leave, { maxChars: 110 })).toBe(
      '…\n| Completed years of service | Annual leave (full-time) |\n| Fewer than 2 | 25 days |\n| 2 to 4 | 26 days |\n…',
    );
  });

  it('quotes a short list item that answers (an item without a full stop is not a heading)', () => {
    const claims = [
      'What you can claim',
      '- Train tickets in standard class',
      '- Taxis after 22:00',
      '- Meals up to 25 euros a day',
      'Submit claims in Spendwise.',
    ].join('\n');
    expect(querySnippet('can I claim a taxi home', claims)).toContain('- Taxis after 22:00');
  });

  it('shows each list item on a line of its own, its marker with its first sentence', () => {
    const notPaid = [
      'What we do not pay for:',
      '- Fines, parking penalties and traffic offences.',
      '- Seat upgrades and lounge access.',
      'Claims are paid with your monthly salary.',
    ].join('\n');
    // Run together, "… offences. - Seat upgrades …" read as one item.
    expect(querySnippet('do you pay parking fines or seat upgrades', notPaid)).toContain(
      '\n- Fines, parking penalties and traffic offences.\n- Seat upgrades and lounge access.',
    );
    // "1." is no sentence of its own: never quoted alone after the line that introduces the list, and an item is
    // quoted with its number.
    const jury = [
      'If you are called for jury service:',
      '1. Tell your manager as soon as the summons arrives, and agree with them how your work will be covered.',
      '2. Upload the summons to Harbour.',
    ].join('\n');
    const fit = { maxChars: 80, maxSentences: 1 };
    expect(querySnippet('what do I do if I am called for jury service', jury, fit)).toBe(
      'If you are called for jury service: …',
    );
    expect(querySnippet('where do I upload the jury summons', jury, fit)).toBe(
      '…\n2. Upload the summons to Harbour.',
    );
  });

  it('shows a heading for a sentence without it taking the place of another matched sentence', () => {
    const licences = [
      'Forklift licences',
      'Only holders of a valid company licence card may drive a forklift on site.',
      'A licence from a previous employer needs a conversion check with our instructor before you drive.',
      'To get a licence, ask your team lead.',
    ].join('\n');
    const s = querySnippet('how do I get a forklift licence', licences);
    expect(s).toContain('Forklift licences:');
    expect(s).toContain('To get a licence, ask your team lead.');
  });

  it('quotes a section whose heading names what is asked with its first lines: the steps under "Cancelling…"', () => {
    const transit = [
      'Transit benefit',
      'This page explains how to sign up for and how to cancel the transit benefit.',
      'Eligibility',
      'Every employee who takes public transit to work can get a transit subsidy.',
      'To receive a transit subsidy, enrol using the steps below.',
      'Cancelling the transit benefit',
      '- Go to the benefits portal',
      '- Log in to your account',
      '- Open your application',
      '- Click on Withdraw from the program',
      '- Fill out and submit the form',
    ].join('\n');
    // As the best passage is quoted (extractive-quotes.ts: 800 characters, 5 matched sentences).
    const s = querySnippet('i work from home now, how do i cancel my transit subsidy?', transit, {
      maxChars: 800,
      maxSentences: 5,
    });
    // The heading opens a line of its own, its steps one a line.
    expect(s).toContain('\nCancelling the transit benefit:\n- Go to the benefits portal\n');
    expect(s).toContain('\n- Click on Withdraw from the program');
  });

  it('never quotes a matching heading alone: without room for its first line it is left out', () => {
    const transit = [
      'This page explains how to cancel the transit benefit.',
      'Cancelling the transit benefit',
      `Open the portal, then ${'follow the form to the end, '.repeat(16)}and submit it.`,
    ].join('\n');
    const s = querySnippet('how do i cancel my transit benefit?', transit);
    expect(s).toContain('how to cancel the transit benefit.');
    expect(s).not.toContain('Cancelling the transit benefit');
  });

  it('falls back to the start of the passage when no sentence matches', () => {
    expect(querySnippet('parking', passage, { maxChars: 40 })).toMatch(/^Business travel Book all business/);
  });
});

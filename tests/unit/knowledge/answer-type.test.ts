import { describe, expect, it } from 'vitest';
import {
  countedTerms,
  countsAny,
  expectedAnswerType,
  identityAsked,
  sentenceFitsType,
  snippetsFitAnswerType,
} from '../../../src/knowledge/retrieval/answer-type.js';

describe('answer types: what a question asks for', () => {
  it('reads the type from the question word that starts a clause', () => {
    expect(expectedAnswerType('how many vacation days do we get?')).toBe('count');
    expect(expectedAnswerType('hey! how much PTO do I get per year')).toBe('amount');
    expect(expectedAnswerType('how long is maternity leave here?')).toBe('duration');
    expect(expectedAnswerType('how far in advance do i need to book 2 weeks off?')).toBe('duration');
    expect(expectedAnswerType('i leaked a key. how fast do i have to report it?')).toBe('duration');
    expect(expectedAnswerType('how quickly are expenses paid back')).toBe('duration');
    expect(expectedAnswerType('how often are 1:1s with my manager')).toBe('frequency');
    expect(expectedAnswerType('when is payday?')).toBe('time');
    expect(expectedAnswerType("when's payday")).toBe('time');
    expect(expectedAnswerType('until when do I need to use rolled over days')).toBe('time');
    expect(expectedAnswerType('what time does the office open')).toBe('time');
    expect(expectedAnswerType("feeling awful today, who do I tell that I'm out sick?")).toBe('person');
    expect(expectedAnswerType('does paternity leave exist? how long')).toBe('duration');
    expect(expectedAnswerType('where can I find my payslip')).toBe('place');
    // A bound asked for after "what" or "which" is a figure.
    expect(expectedAnswerType('whats the most credit hours i can have banked at once')).toBe('amount');
    expect(expectedAnswerType("what's the max hours I can work in one day?")).toBe('amount');
    expect(expectedAnswerType('which is the minimum notice for leave?')).toBe('amount');
  });

  it('asks for no type in yes/no, "what is" and "how do I" questions, or in a clause of time', () => {
    expect(expectedAnswerType('can I bring my dog to the office?')).toBeNull();
    expect(expectedAnswerType("what's the dress code?")).toBeNull();
    expect(expectedAnswerType('how do I book a flight?')).toBeNull();
    expect(expectedAnswerType('can I keep my laptop when I leave?')).toBeNull();
    expect(expectedAnswerType('when I leave, can I keep my laptop?')).toBeNull();
    expect(expectedAnswerType('is there a limit on how many monitors I can expense?')).toBeNull();
  });

  it('knows what a "how many" question counts: the words up to the verb or a preposition', () => {
    expect([...countedTerms('how many vacation days do we get?')]).toHaveLength(2);
    expect(countedTerms('How many days of annual leave do I get per year?').size).toBe(1);
    expect(countedTerms('how many people work at fernhill?').size).toBe(2);
    expect(countedTerms('how long is probation?').size).toBe(0);
  });
});

describe('answer types: the shape of a sentence that can answer', () => {
  it('a span of time for "how long": a number and its unit, not a number alone', () => {
    expect(sentenceFitsType('duration', 'Partner leave lasts four weeks at full pay.')).toBe(true);
    expect(sentenceFitsType('duration', 'Take up to 20 working days a year.')).toBe(true);
    expect(sentenceFitsType('duration', 'Rooms hold 14 people.')).toBe(false);
  });

  it('a date, weekday or figure for "when"; a figure for "how many / much / often"', () => {
    expect(sentenceFitsType('time', 'Salaries are reviewed in March.')).toBe(true);
    expect(sentenceFitsType('time', 'Pay day is the 25th.')).toBe(true);
    expect(sentenceFitsType('time', 'Salaries are reviewed once a year.')).toBe(false);
    expect(sentenceFitsType('amount', 'The limit is 220 euros.')).toBe(true);
    expect(sentenceFitsType('frequency', 'Laptops are replaced every three years.')).toBe(true);
    expect(sentenceFitsType('count', 'Ask your manager.')).toBe(false);
  });

  it('a place named after "in", "on" or "at" for "where": a name, an address, a portal; never a month', () => {
    expect(sentenceFitsType('place', 'Book time off in Tandem, our HR tool.')).toBe(true);
    expect(sentenceFitsType('place', 'Meet at the car park on 2 Weaver Street.')).toBe(true);
    expect(sentenceFitsType('place', 'Send the form to payroll@acme.example.')).toBe(true);
    expect(sentenceFitsType('place', 'Request it in the IT portal.')).toBe(true);
    expect(sentenceFitsType('place', 'Salaries are reviewed in March.')).toBe(false);
    expect(sentenceFitsType('place', 'For one or two days, a week of notice is enough.')).toBe(false);
  });

  it("nothing for a person or a question of no type: a name's shape is no word's", () => {
    expect(sentenceFitsType('person', 'Ask Priya Shah in People Ops.')).toBe(false);
    expect(sentenceFitsType(null, 'It lasts 4 weeks.')).toBe(false);
  });
});

describe('answer types: what a "how many" question accepts and refuses', () => {
  const days = countedTerms('how many vacation days do we get?');
  const employees = countedTerms('How many employees does Kestrel have?');

  it('accepts a number, in digits or words, a few words before what is counted', () => {
    expect(countsAny('Everyone gets 23 days of paid vacation a year.', days)).toBe(true);
    expect(countsAny('You get twenty-five days off.', days)).toBe(true);
    expect(countsAny('Up to 5 unused vacation days roll over.', days)).toBe(true);
    expect(countsAny('Kestrel has 120 employees in three offices.', employees)).toBe(true);
    // Synonyms count as what is counted: "PTO days" is counted by "days" as well.
    expect(countsAny('We get 23 days.', countedTerms('how many PTO days do I have'))).toBe(true);
  });

  it('refuses a number counting a unit of time before the word, unless time is what is asked for', () => {
    const holidays = 'how many paid federal holidays do we get a year?';
    expect(snippetsFitAnswerType(holidays, ['You receive 8 hours of holiday pay for that day.'])).toBe(false);
    expect(snippetsFitAnswerType(holidays, ['There are 11 paid federal holidays a year.'])).toBe(true);
    const daysOff = 'my nan passed away on sunday. how many days off can i take?';
    expect(snippetsFitAnswerType(daysOff, ['You get 25 days of annual leave a year.'])).toBe(true);
  });

  it('refuses a passage that mentions what is counted without counting it', () => {
    expect(
      countsAny('The company pays the full premium for employees and half for partners.', employees),
    ).toBe(false);
    expect(countsAny('Referrals of former employees count if they left Kestrel.', employees)).toBe(false);
    // A number counting something else, or in another sentence, does not count it.
    expect(countsAny('You receive €2,000 once the hire has worked for three months.', employees)).toBe(false);
    expect(countsAny("within the child's first 18 months. Tell employees early.", employees)).toBe(false);
    expect(countsAny('within 18 months … employees are welcome', employees)).toBe(false);
  });

  it('lets through every question that neither counts nor asks who holds a role, whatever the snippets hold', () => {
    const snippets = ['Parental leave: talk to People Ops.'];
    expect(snippetsFitAnswerType('How many employees does Kestrel have?', snippets)).toBe(false);
    expect(snippetsFitAnswerType('How many employees does Kestrel have?', ['We are 120 employees.'])).toBe(
      true,
    );
    for (const q of [
      'how long is parental leave?',
      'how much is the referral bonus?',
      'when is payday?',
      'who do I tell that I am sick?',
      'where is the office?',
      'can I get a company car?',
    ]) {
      expect(snippetsFitAnswerType(q, snippets)).toBe(true);
    }
  });
});

describe('answer types: a question about who holds a role needs someone named for it', () => {
  it('reads the role of "who is the / our …", and nothing of questions about whom to turn to', () => {
    expect([...(identityAsked('Who is the head of the marketing team?') ?? [])]).toHaveLength(3);
    expect(identityAsked("hey, who's the warehouse manager at brackley road?")?.size).toBe(4);
    expect(identityAsked('who are our first aiders')?.size).toBe(2);
    expect(identityAsked('who is the data protection officer?')?.size).toBe(3);
    for (const q of [
      'who is our health insurance with?',
      'who is the right person to ask about expenses?',
      'who is the contact for payroll?',
      'who do I call if my flight is cancelled?',
      'who approves a 20% discount?',
      'what is the head office address?',
      // Nothing after the article, or a word that names no role.
      'who is the?',
      'who is the one?',
    ]) {
      expect(identityAsked(q), q).toBeNull();
    }
  });

  const headOfMarketing = 'Who is the head of the marketing team?';
  it('accepts a name or an email address in a sentence that holds the role', () => {
    expect(snippetsFitAnswerType(headOfMarketing, ['Priya Shah leads the marketing team.'])).toBe(true);
    expect(
      snippetsFitAnswerType('who is the data protection officer?', [
        'Questions about personal data go to our data protection officer at dpo@example.com.',
      ]),
    ).toBe(true);
    expect(
      snippetsFitAnswerType('who is our health insurer', ['Our health insurer is Meridian Health.']),
    ).toBe(true);
  });

  it('refuses a role mentioned with nobody named for it, or a name that is the question’s own or elsewhere', () => {
    // The role without its holder: what a handbook usually says.
    expect(
      snippetsFitAnswerType(headOfMarketing, [
        'For anything customer-facing that is not based on a template, ask the marketing team for a review.',
      ]),
    ).toBe(false);
    // A place the question named is nobody.
    expect(
      snippetsFitAnswerType("who's the warehouse manager at brackley road?", [
        'Our warehouse at Brackley Road is a busy place, with forklifts, reach trucks and HGVs moving around people.',
      ]),
    ).toBe(false);
    // A name in another sentence, or one capitalised tool name, names nobody for the role.
    expect(
      snippetsFitAnswerType('who is the data protection officer?', [
        'You complete the data protection training in Learnwell. Ask Priya Shah for a desk.',
      ]),
    ).toBe(false);
  });
});

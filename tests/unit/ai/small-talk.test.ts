import { describe, expect, it } from 'vitest';
import { smallTalkOf } from '../../../src/ai/small-talk.js';

describe('smallTalkOf: messages that are not questions for the documents', () => {
  it.each([
    ['hi', 'greeting'],
    ['Hey there team 👋', 'greeting'],
    ['good morning!', 'greeting'],
    ['<@U0LORE> hello', 'greeting'],
    // A bare mention, "?" or an emoji: what Lore is for.
    ['<@U0LORE>', 'greeting'],
    ['?', 'greeting'],
    // A bare link: no words of its own to search.
    ['<@U0LORE> https://intranet.example/page', 'greeting'],
    ['thanks!', 'thanks'],
    ['Thank you so much, Lore', 'thanks'],
    ['hey thanks', 'thanks'],
    ['thanks for your help', 'thanks'],
    ['ok cool', 'thanks'],
    ['got it, makes sense', 'thanks'],
    ['help', 'about'],
    ['What can you do?', 'about'],
    ['hi lore, what can you do for me please?', 'about'],
    ["what's lore?", 'about'],
    ['who are you', 'about'],
    ['can you help me with something?', 'about'],
  ])('%j is %s', (message, kind) => {
    expect(smallTalkOf(message)).toBe(kind);
  });

  it.each([
    'hi, how many vacation days do I get?',
    'thanks! and for contractors?',
    'help with expenses',
    'good morning, where do I park?',
    'what is the dress code',
    'who approves my time off?',
    'can you help me with my payslip?',
    'ok so what about the travel budget',
  ])('%j is a question', (message) => {
    expect(smallTalkOf(message)).toBeNull();
  });
});

/** wink-lexicon ships no types: its irregular verbs map every form (and the base) to the base form. */
declare module 'wink-lexicon/src/irregular-verbs.js' {
  const irregularVerbs: Record<string, string>;
  export default irregularVerbs;
}

/**
 * The sample document every new workspace starts with, so Lore can answer its first question at once.
 * Written for this project (no third-party text).
 */
export const GETTING_STARTED_NAME = 'Getting started with Lore.md';

export const GETTING_STARTED_MARKDOWN = `# Getting started with Lore

Lore answers your team's questions from your own documents, and shows the sources it used.

## How to ask Lore a question

- Mention @Lore in a channel it has been added to, for example: "@Lore how do I request time off?". Lore replies in the thread.
- Send Lore a direct message.
- Keep talking in a thread Lore has answered in: follow-up questions need no new mention.
- Type /ask followed by your question anywhere in Slack. Only you see the answer unless you choose to share it.
- Open Lore from the assistant panel in Slack's top bar and pick one of the suggested prompts.

## What Lore knows

Lore only answers from the documents your workspace admins have added: PDFs, Word documents (DOCX), Markdown, HTML pages and plain text files.
Every answer lists its sources with links to the exact passages. When the documents do not cover a question, Lore says so instead of guessing, and the question appears in the admins' knowledge-gap inbox.

## How to add documents

Workspace admins add documents in the Lore dashboard: open the Documents page and drag files onto it. Each file shows its progress while Lore reads it, and it can be searched as soon as it is ready.
Uploading a file with the same name again replaces the old version. Scripts can sync documents with an API key created on the Settings page.

## Feedback

Use the thumbs-up and thumbs-down buttons under each answer. A thumbs-down asks for an optional reason, and both help admins see which documents are missing or out of date.

## Privacy

Your workspace's documents and questions are only ever used to answer your workspace. Slack tokens and API keys are stored encrypted.
`;

/** A JSON response body, loosely typed so tests can assert on any field. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert shapes with expect(), not with the type checker.
export type JsonBody = any;

/** Reads a fetch response's JSON body. */
export async function bodyOf(res: Response): Promise<JsonBody> {
  return res.json();
}

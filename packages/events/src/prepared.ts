/**
 * Names for prepared statements. pg prepares a named statement once per connection and then
 * only binds and executes it, so Postgres parses and plans each text once per connection instead
 * of on every call — the live-feed append (five CTEs) and the projections are statements whose
 * planning costs more than running them. Statements without parameters (BEGIN, COMMIT) stay
 * unnamed. A process knows a bounded number of texts (each statement's, one per batch size of the
 * multi-row ones); past the bound a new text is simply not prepared.
 */
const names = new Map<string, string>();
const MAX_NAMED = 2_000;

/** The prepared statement's name for `text` in this process ("" when it is not to be prepared). */
export function preparedName(text: string, parameters: number): string {
  if (parameters === 0) return "";
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= MAX_NAMED) return "";
    name = `baedal_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

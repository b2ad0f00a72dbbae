// Lookup tables keyed by words of a filter expression. A plain object literal also answers for
// Object.prototype's names (`host toString` found KEYWORDS.toString, a function, and became a
// syntax error); a table without a prototype holds only its own entries.

/** `entries` as an object without a prototype: a missing name reads as undefined. */
export function nameTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

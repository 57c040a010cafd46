/** A value as it arrives after JSON: dates become ISO strings (what res.json does at run time). */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** Types a service result as its JSON form, so routes can check it `satisfies` the shared contract. */
export const wire = <T>(value: T): Wire<T> => value as unknown as Wire<T>;

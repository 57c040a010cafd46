/**
 * A contract's JSON shape with the named ISO-string fields as Dates: what a service returns before the
 * route serialises it, so the shape is declared once, in the contract.
 */
export type WithDates<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: null extends T[P] ? Date | null : Date;
};

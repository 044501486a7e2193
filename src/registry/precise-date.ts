/**
 * A timestamp as a service sent it: a Date (what the Registry port promises) that also keeps the exact
 * epoch seconds, microseconds included. moto sends microseconds; the AWS CLI prints them all.
 */
export class PreciseDate extends Date {
  constructor(readonly epochSeconds: number) {
    super(Math.round(epochSeconds * 1000))
  }
}

import { randomInt } from 'node:crypto';

/** Luhn check digit for a digit string. */
export function luhnCheckDigit(partial: string): string {
  let sum = 0;
  for (let i = 0; i < partial.length; i++) {
    let d = Number(partial[partial.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** A sandbox test-range PAN (Visa BIN 424242, Mastercard 555555), Luhn valid, 16 digits. */
export function generatePan(brand: 'visa' | 'mastercard' = 'visa'): string {
  let body = brand === 'visa' ? '424242' : '555555';
  while (body.length < 15) body += String(randomInt(10));
  return body + luhnCheckDigit(body);
}

export function generateCvc(): string {
  return String(randomInt(1000)).padStart(3, '0');
}

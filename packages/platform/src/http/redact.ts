/** A run of 12 or more digits: it could be a card number (PANs are 12–19 digits). */
const DIGIT_RUN = /\d{12,}/g;

/**
 * `text` with every run of 12 or more digits replaced, so that an error message never echoes a
 * card number someone typed where an id belongs (it would land in the caller's logs).
 *
 * @example
 * withoutCardNumbers("card '4242424242424242'") // "card '[digits removed]'"
 */
export function withoutCardNumbers(text: string): string {
  return text.replace(DIGIT_RUN, '[digits removed]');
}

/**
 * The base class of every error this SDK throws. Catch it to handle any SDK failure at once.
 *
 * @example
 * try {
 *   await client.cards.retrieve('ic_123');
 * } catch (error) {
 *   if (error instanceof OpenIssuingError) console.error(error.message);
 * }
 */
export class OpenIssuingError extends Error {
  override name: string = 'OpenIssuingError';
}

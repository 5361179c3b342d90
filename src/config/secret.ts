import { inspect } from 'node:util';

const HIDDEN = '[secret]';

/**
 * A credential held in memory only: it prints, logs and serialises as "[secret]", so an accidental
 * `logger.info(config)` or JSON.stringify cannot leak it. `reveal()` is called where it is sent.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return HIDDEN;
  }

  toJSON(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}

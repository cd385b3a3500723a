// Where JSON.parse failed. V8 reports a position for most syntax errors, but
// not for "Unexpected token" ones (it quotes a snippet instead), so this
// re-scans the text with a minimal JSON grammar to find the offending offset.

class Stop {
  constructor(readonly at: number) {}
}

const DIGIT = /[0-9]/;
const HEX = /[0-9a-fA-F]/;

class JsonScanner {
  private i = 0;

  constructor(private readonly text: string) {}

  /** Offset of the first syntax error, or the text length when there is none. */
  errorOffset(): number {
    try {
      this.value();
      this.ws();
      if (this.i < this.text.length) this.stop();
    } catch (e) {
      if (e instanceof Stop) return e.at;
      throw e;
    }
    return this.text.length;
  }

  private peek(): string {
    return this.text[this.i] ?? '';
  }

  private stop(): never {
    throw new Stop(this.i);
  }

  private ws(): void {
    while (this.peek() !== '' && ' \t\n\r'.includes(this.peek())) this.i++;
  }

  private value(): void {
    this.ws();
    const c = this.peek();
    if (c === '{') this.members('}', () => this.member());
    else if (c === '[') this.members(']', () => this.value());
    else if (c === '"') this.string();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else if (c === '-' || DIGIT.test(c)) this.number();
    else this.stop();
  }

  private members(close: string, item: () => void): void {
    this.i++;
    this.ws();
    if (this.peek() === close) { this.i++; return; }
    for (;;) {
      item();
      this.ws();
      if (this.peek() === close) { this.i++; return; }
      if (this.peek() !== ',') this.stop();
      this.i++;
      this.ws();
    }
  }

  private member(): void {
    if (this.peek() !== '"') this.stop();
    this.string();
    this.ws();
    if (this.peek() !== ':') this.stop();
    this.i++;
    this.value();
  }

  private literal(word: string): void {
    for (const ch of word) {
      if (this.peek() !== ch) this.stop();
      this.i++;
    }
  }

  private digits(): void {
    if (!DIGIT.test(this.peek())) this.stop();
    while (DIGIT.test(this.peek())) this.i++;
  }

  private number(): void {
    if (this.peek() === '-') this.i++;
    if (this.peek() === '0') this.i++;
    else this.digits();
    if (this.peek() === '.') { this.i++; this.digits(); }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.i++;
      if (this.peek() === '+' || this.peek() === '-') this.i++;
      this.digits();
    }
  }

  private string(): void {
    this.i++;
    for (;;) {
      const c = this.peek();
      if (c === '' || c < ' ') this.stop();
      this.i++;
      if (c === '"') return;
      if (c === '\\') this.escape();
    }
  }

  private escape(): void {
    if (this.peek() !== '' && '"\\/bfnrt'.includes(this.peek())) { this.i++; return; }
    if (this.peek() !== 'u') this.stop();
    this.i++;
    for (let k = 0; k < 4; k++) {
      if (!HEX.test(this.peek())) this.stop();
      this.i++;
    }
  }
}

export function jsonErrorOffset(text: string): number {
  return new JsonScanner(text).errorOffset();
}

/**
 * Recursive-descent parser of the S3 Select SQL dialect.
 *
 * Grammar (keywords case-insensitive):
 *   select     := SELECT ( '*' | item (',' item)* ) FROM from [WHERE expr] [LIMIT integer]
 *   item       := expr [[AS] identifier]
 *   from       := S3Object step* [[AS] identifier]
 *   step       := '.' (identifier | '*') | '[' (integer | string | '*') ']'
 *
 * Precedence, lowest to highest, as in the AWS reference table:
 *   OR < AND < NOT (prefix) < '=' '<>' '!=' (right-assoc) < '<' '>' '<=' '>='
 *   < IN, BETWEEN, LIKE, IS < '+' '-' < '*' '/' '%' < unary '-' '+' < primary.
 *
 * Error codes: ParseUnexpectedToken (a token where none may stand, e.g. after the
 * statement), ParseExpectedExpression (no expression where one is needed),
 * ParseUnexpectedOperator (a binary operator where an expression must start),
 * ParseUnknownOperator (`||`, not in the dialect), ParseExpectedTokenType (a specific
 * token is missing: `)`, `]`, END, FROM, AS...), ParseInvalidPathComponent (a bad
 * path step), ParseUnExpectedKeyword (an unquoted reserved word where a name belongs:
 * a column, an alias, a `.name` step; see tokens.ts), ParseUnsupportedSyntax (well-formed but outside the dialect: another
 * source than S3Object, an unknown CAST type or date part, precision on a
 * non-decimal type, a quoted function name), UnsupportedSqlOperation (an unknown
 * function), EvaluatorInvalidArguments (a known function with the wrong number of
 * arguments). Lexer errors come from lexer.ts. Every message names line and column.
 */
import type {
  AggregateName,
  BinaryOperator,
  CaseBranch,
  DatePart,
  Expression,
  ExtractPart,
  FromClause,
  Identifier,
  LimitClause,
  PathExpression,
  PathStep,
  ScalarFunctionName,
  SelectItem,
  SelectStatement,
  SqlType,
  SqlTypeName,
} from "./ast.ts";
import { tokenize } from "./lexer.ts";
import { sqlError } from "./sql-error.ts";
import { GRAMMAR_KEYWORDS, describeToken, type SourcePosition, type Token } from "./tokens.ts";

const AGGREGATES: ReadonlySet<string> = new Set<AggregateName>(["AVG", "COUNT", "MAX", "MIN", "SUM"]);

/** Scalar functions and their [min, max] argument counts. */
const SCALAR_ARITY: ReadonlyMap<ScalarFunctionName, readonly [number, number]> = new Map<
  ScalarFunctionName,
  readonly [number, number]
>([
  ["COALESCE", [1, Number.POSITIVE_INFINITY]],
  ["NULLIF", [2, 2]],
  ["TO_STRING", [2, 2]],
  ["TO_TIMESTAMP", [1, 1]],
  ["UTCNOW", [0, 0]],
  ["CHAR_LENGTH", [1, 1]],
  ["CHARACTER_LENGTH", [1, 1]],
  ["LOWER", [1, 1]],
  ["UPPER", [1, 1]],
]);

const TYPE_NAMES: ReadonlyMap<string, SqlTypeName> = new Map<string, SqlTypeName>([
  ["BOOL", "BOOL"],
  ["BOOLEAN", "BOOL"],
  ["INT", "INT"],
  ["INTEGER", "INT"],
  ["STRING", "STRING"],
  ["FLOAT", "FLOAT"],
  ["DECIMAL", "DECIMAL"],
  ["NUMERIC", "DECIMAL"],
  ["TIMESTAMP", "TIMESTAMP"],
]);

const DATE_PARTS: readonly DatePart[] = ["year", "month", "day", "hour", "minute", "second"];
const EXTRACT_PARTS: readonly ExtractPart[] = [...DATE_PARTS, "timezone_hour", "timezone_minute"];

/** Operators that can only follow an expression: met where one must start, they are ParseUnexpectedOperator. */
const BINARY_ONLY = new Set(["*", "/", "%", "=", "<>", "!=", "<", ">", "<=", ">=", "||"]);

/** Parses one S3 Select statement. Throws AppError with the AWS code and the position. */
export function parseSelect(sql: string): SelectStatement {
  return new Parser(tokenize(sql)).parseStatement();
}

/** Parses a standalone expression (for tests and tools). */
export function parseExpression(sql: string): Expression {
  const parser = new Parser(tokenize(sql));
  const expression = parser.parseExpression();
  parser.expectEnd();
  return expression;
}

/** Deepest nesting of sub-expressions accepted, so hostile input cannot exhaust the stack. */
export const MAX_NESTING_DEPTH = 500;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  // -------------------------------------------------------------------------
  // Token helpers

  private peek(ahead = 0): Token {
    const token = this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
    if (token === undefined) throw new Error("token stream without eof");
    return token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.index++;
    return token;
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "keyword" && token.value === word;
  }

  private isPunct(value: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === "punct" && token.value === value;
  }

  private acceptKeyword(word: string): Token | null {
    return this.isKeyword(word) ? this.next() : null;
  }

  private acceptPunct(value: string): Token | null {
    return this.isPunct(value) ? this.next() : null;
  }

  private expectedError(what: string, token: Token = this.peek()) {
    return sqlError("ParseExpectedTokenType", token.pos, `expected ${what} but found ${describeToken(token)}`, token.text);
  }

  private expectKeyword(word: string): Token {
    const token = this.acceptKeyword(word);
    if (token === null) throw this.expectedError(word);
    return token;
  }

  private expectPunct(value: string): Token {
    const token = this.acceptPunct(value);
    if (token === null) throw this.expectedError(`'${value}'`);
    return token;
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== "eof") {
      throw sqlError("ParseUnexpectedToken", token.pos, `unexpected token ${describeToken(token)}`, token.text);
    }
  }

  // -------------------------------------------------------------------------
  // Statement

  parseStatement(): SelectStatement {
    const select = this.expectKeyword("SELECT");
    let projection: SelectStatement["projection"];
    const star = this.acceptPunct("*");
    if (star !== null) {
      projection = { kind: "SelectAll", pos: star.pos };
    } else {
      const items: SelectItem[] = [this.parseSelectItem()];
      while (this.acceptPunct(",") !== null) items.push(this.parseSelectItem());
      const first = items[0];
      projection = { kind: "SelectList", pos: first === undefined ? select.pos : first.pos, items };
    }
    this.expectKeyword("FROM");
    const from = this.parseFrom();
    let where: Expression | null = null;
    if (this.acceptKeyword("WHERE") !== null) where = this.parseExpression();
    let limit: LimitClause | null = null;
    const limitToken = this.acceptKeyword("LIMIT");
    if (limitToken !== null) {
      const value = this.peek();
      if (value.kind !== "integer") throw this.expectedError("a non-negative integer after LIMIT", value);
      this.next();
      limit = { kind: "Limit", pos: limitToken.pos, value: Math.min(Number(value.value), Number.MAX_SAFE_INTEGER) };
    }
    this.expectEnd();
    return { kind: "Select", pos: select.pos, projection, from, where, limit };
  }

  private parseSelectItem(): SelectItem {
    const expression = this.parseExpression();
    return { kind: "SelectItem", pos: expression.pos, expression, alias: this.parseAlias() };
  }

  /** `[AS] name` after a select item or the FROM source; null when absent. */
  private parseAlias(): Identifier | null {
    if (this.acceptKeyword("AS") !== null) return this.parseIdentifier("an alias after AS");
    const token = this.peek();
    if (token.kind === "identifier" || token.kind === "quotedIdentifier") return this.parseIdentifier("an alias");
    // `SELECT a date FROM ...`: a reserved word the grammar never has here is a name.
    if (token.kind === "keyword" && !GRAMMAR_KEYWORDS.has(token.value)) throw unexpectedKeyword(token, "an alias");
    return null;
  }

  private parseIdentifier(what: string): Identifier {
    const token = this.peek();
    if (token.kind === "identifier" || token.kind === "quotedIdentifier") {
      this.next();
      return identifierOf(token);
    }
    if (token.kind === "keyword") throw unexpectedKeyword(token, what);
    throw this.expectedError(what, token);
  }

  private parseFrom(): FromClause {
    const token = this.peek();
    if (token.kind !== "identifier" && token.kind !== "quotedIdentifier") throw this.expectedError("S3Object", token);
    if (token.kind === "quotedIdentifier" || token.value.toUpperCase() !== "S3OBJECT") {
      throw sqlError(
        "ParseUnsupportedSyntax",
        token.pos,
        `the FROM clause must name S3Object, not ${describeToken(token)}`,
        token.text,
      );
    }
    this.next();
    const path = this.parsePathSteps();
    return { kind: "From", pos: token.pos, source: identifierOf(token), path, alias: this.parseAlias() };
  }

  // -------------------------------------------------------------------------
  // Paths

  private parsePathSteps(): PathStep[] {
    const steps: PathStep[] = [];
    for (;;) {
      const dot = this.acceptPunct(".");
      if (dot !== null) {
        const token = this.next();
        if (token.kind === "identifier" || token.kind === "quotedIdentifier") {
          steps.push({
            kind: "FieldStep",
            pos: dot.pos,
            name: token.value,
            quoted: token.kind === "quotedIdentifier",
            syntax: "dot",
          });
        } else if (token.kind === "punct" && token.value === "*") {
          steps.push({ kind: "WildcardStep", pos: dot.pos, syntax: "dot" });
        } else if (token.kind === "keyword") {
          throw unexpectedKeyword(token, "a name after '.'");
        } else {
          throw invalidStep(token, "after '.' expected a name or '*'");
        }
        continue;
      }
      const bracket = this.acceptPunct("[");
      if (bracket !== null) {
        const token = this.next();
        if (token.kind === "integer") {
          const index = Number(token.value);
          if (!Number.isSafeInteger(index)) throw invalidStep(token, "array index too large");
          steps.push({ kind: "IndexStep", pos: bracket.pos, index });
        } else if (token.kind === "string") {
          steps.push({ kind: "FieldStep", pos: bracket.pos, name: token.value, quoted: true, syntax: "bracket" });
        } else if (token.kind === "punct" && token.value === "*") {
          steps.push({ kind: "WildcardStep", pos: bracket.pos, syntax: "bracket" });
        } else {
          throw invalidStep(token, "inside '[ ]' expected a non-negative integer, a string or '*'");
        }
        this.expectPunct("]");
        continue;
      }
      return steps;
    }
  }

  private parsePath(): PathExpression {
    const token = this.next();
    if (token.kind !== "identifier" && token.kind !== "quotedIdentifier") {
      throw this.expectedError("a path", token);
    }
    return { kind: "Path", pos: token.pos, root: identifierOf(token), steps: this.parsePathSteps() };
  }

  // -------------------------------------------------------------------------
  // Expressions, lowest precedence first

  parseExpression(): Expression {
    return this.nested(() => this.parseOr());
  }

  /** Runs a recursive step, failing with ParseUnsupportedSyntax past MAX_NESTING_DEPTH. */
  private nested<T>(step: () => T): T {
    if (this.depth >= MAX_NESTING_DEPTH) {
      const token = this.peek();
      throw sqlError(
        "ParseUnsupportedSyntax",
        token.pos,
        `expression nested more than ${MAX_NESTING_DEPTH} levels deep`,
        token.text,
      );
    }
    this.depth++;
    try {
      return step();
    } finally {
      this.depth--;
    }
  }

  private parseOr(): Expression {
    let left = this.parseAnd();
    for (let op = this.acceptKeyword("OR"); op !== null; op = this.acceptKeyword("OR")) {
      left = binary("OR", op, left, this.parseAnd());
    }
    return left;
  }

  private parseAnd(): Expression {
    let left = this.parseNot();
    for (let op = this.acceptKeyword("AND"); op !== null; op = this.acceptKeyword("AND")) {
      left = binary("AND", op, left, this.parseNot());
    }
    return left;
  }

  private parseNot(): Expression {
    const not = this.acceptKeyword("NOT");
    if (not !== null) return { kind: "Unary", pos: not.pos, operator: "NOT", operand: this.nested(() => this.parseNot()) };
    return this.parseEquality();
  }

  /** `=`, `<>`, `!=`: right-associative, as in the reference. */
  private parseEquality(): Expression {
    const left = this.parseRelational();
    const token = this.peek();
    if (token.kind === "punct" && (token.value === "=" || token.value === "<>" || token.value === "!=")) {
      this.next();
      return binary(token.value === "=" ? "=" : "<>", token, left, this.nested(() => this.parseEquality()));
    }
    return left;
  }

  private parseRelational(): Expression {
    let left = this.parsePredicate();
    for (;;) {
      const token = this.peek();
      if (token.kind !== "punct" || !["<", ">", "<=", ">="].includes(token.value)) return left;
      this.next();
      left = binary(token.value as BinaryOperator, token, left, this.parsePredicate());
    }
  }

  /** IS, [NOT] BETWEEN, [NOT] IN, [NOT] LIKE. */
  private parsePredicate(): Expression {
    let left = this.parseAdditive();
    for (;;) {
      const pos = left.pos;
      if (this.acceptKeyword("IS") !== null) {
        const negated = this.acceptKeyword("NOT") !== null;
        const test = this.peek();
        if (test.kind !== "keyword" || (test.value !== "NULL" && test.value !== "MISSING")) {
          throw this.expectedError("NULL or MISSING after IS", test);
        }
        this.next();
        left = { kind: "Is", pos, operand: left, test: test.value === "NULL" ? "NULL" : "MISSING", negated };
        continue;
      }
      const negatable = this.isKeyword("NOT") ? 1 : 0;
      const negated = negatable === 1;
      if (this.isKeyword("BETWEEN", negatable)) {
        this.index += negatable + 1;
        const low = this.parseAdditive();
        this.expectKeyword("AND");
        const high = this.parseAdditive();
        left = { kind: "Between", pos, operand: left, low, high, negated };
        continue;
      }
      if (this.isKeyword("IN", negatable)) {
        this.index += negatable + 1;
        const open = this.acceptPunct("(");
        if (open !== null) {
          const items = this.parseExpressionList();
          this.expectPunct(")");
          left = { kind: "In", pos, operand: left, target: { kind: "List", pos: open.pos, items }, negated };
        } else {
          const token = this.peek();
          if (token.kind !== "identifier" && token.kind !== "quotedIdentifier") {
            throw this.expectedError("'(' or a path after IN", token);
          }
          left = { kind: "In", pos, operand: left, target: this.parsePath(), negated };
        }
        continue;
      }
      if (this.isKeyword("LIKE", negatable)) {
        this.index += negatable + 1;
        const pattern = this.parseAdditive();
        const escape = this.acceptKeyword("ESCAPE") !== null ? this.parseAdditive() : null;
        left = { kind: "Like", pos, operand: left, pattern, escape, negated };
        continue;
      }
      return left;
    }
  }

  private parseAdditive(): Expression {
    let left = this.parseMultiplicative();
    for (;;) {
      const token = this.peek();
      if (token.kind === "punct" && token.value === "||") {
        throw sqlError(
          "ParseUnknownOperator",
          token.pos,
          "unknown operator '||': S3 Select has no string concatenation operator",
          token.text,
        );
      }
      if (token.kind !== "punct" || (token.value !== "+" && token.value !== "-")) return left;
      this.next();
      left = binary(token.value, token, left, this.parseMultiplicative());
    }
  }

  private parseMultiplicative(): Expression {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== "punct" || (token.value !== "*" && token.value !== "/" && token.value !== "%")) return left;
      this.next();
      left = binary(token.value, token, left, this.parseUnary());
    }
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (token.kind === "punct" && (token.value === "-" || token.value === "+")) {
      this.next();
      return { kind: "Unary", pos: token.pos, operator: token.value, operand: this.nested(() => this.parseUnary()) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expression {
    const token = this.peek();
    const pos = token.pos;
    switch (token.kind) {
      case "integer":
      case "decimal":
        this.next();
        return {
          kind: "NumberLiteral",
          pos,
          text: token.value,
          value: Number(token.value),
          integer: token.kind === "integer",
        };
      case "string":
        this.next();
        return { kind: "StringLiteral", pos, value: token.value };
      case "timestamp":
        this.next();
        return { kind: "TimestampLiteral", pos, text: token.value };
      case "identifier":
        if (this.isPunct("(", 1)) return this.parseFunctionCall();
        return this.parsePath();
      case "quotedIdentifier":
        if (this.isPunct("(", 1)) {
          throw sqlError("ParseUnsupportedSyntax", pos, `function names cannot be quoted: ${token.text}`, token.text);
        }
        return this.parsePath();
      case "keyword":
        if (this.isPunct("(", 1) && isFunctionName(token.value)) return this.parseFunctionCall();
        switch (token.value) {
          case "TRUE":
          case "FALSE":
            this.next();
            return { kind: "BooleanLiteral", pos, value: token.value === "TRUE" };
          case "NULL":
            this.next();
            return { kind: "NullLiteral", pos };
          case "MISSING":
            this.next();
            return { kind: "MissingLiteral", pos };
          case "CASE":
            return this.parseCase();
          case "CAST":
            return this.parseCast();
          case "SUBSTRING":
            return this.parseSubstring();
          case "TRIM":
            return this.parseTrim();
          case "EXTRACT":
            return this.parseExtract();
          default:
            // A grammar keyword (FROM, WHERE...) means the expression is missing; any
            // other reserved word is one used as a column name.
            if (GRAMMAR_KEYWORDS.has(token.value)) throw expectedExpression(token);
            throw unexpectedKeyword(token, "an expression");
        }
      case "punct":
        if (token.value === "(") {
          this.next();
          const inner = this.parseExpression();
          this.expectPunct(")");
          return inner;
        }
        if (BINARY_ONLY.has(token.value)) {
          throw sqlError(
            "ParseUnexpectedOperator",
            pos,
            `unexpected operator '${token.value}': expected an expression`,
            token.text,
          );
        }
        throw expectedExpression(token);
      case "eof":
        throw expectedExpression(token);
    }
  }

  private parseExpressionList(): Expression[] {
    const items = [this.parseExpression()];
    while (this.acceptPunct(",") !== null) items.push(this.parseExpression());
    return items;
  }

  // -------------------------------------------------------------------------
  // Special forms

  private parseFunctionCall(): Expression {
    const nameToken = this.next();
    const name = nameToken.value.toUpperCase();
    const pos = nameToken.pos;
    this.expectPunct("(");
    if (AGGREGATES.has(name)) {
      const aggregate = name as AggregateName;
      if (aggregate === "COUNT" && this.acceptPunct("*") !== null) {
        this.expectPunct(")");
        return { kind: "Aggregate", pos, name: aggregate, argument: null };
      }
      const argument = this.parseExpression();
      this.expectPunct(")");
      return { kind: "Aggregate", pos, name: aggregate, argument };
    }
    if (name === "DATE_ADD") {
      const part = this.parseDatePart(DATE_PARTS);
      this.expectPunct(",");
      const quantity = this.parseExpression();
      this.expectPunct(",");
      const timestamp = this.parseExpression();
      this.expectPunct(")");
      return { kind: "DateAdd", pos, part, quantity, timestamp };
    }
    if (name === "DATE_DIFF") {
      const part = this.parseDatePart(DATE_PARTS);
      this.expectPunct(",");
      const from = this.parseExpression();
      this.expectPunct(",");
      const to = this.parseExpression();
      this.expectPunct(")");
      return { kind: "DateDiff", pos, part, from, to };
    }
    const arity = SCALAR_ARITY.get(name as ScalarFunctionName);
    if (arity === undefined) {
      throw sqlError("UnsupportedSqlOperation", pos, `unsupported function ${nameToken.text}`, nameToken.text);
    }
    const args = this.isPunct(")") ? [] : this.parseExpressionList();
    this.expectPunct(")");
    const [min, max] = arity;
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
      throw sqlError(
        "EvaluatorInvalidArguments",
        pos,
        `${name} takes ${expected} argument${expected === "1" ? "" : "s"}, not ${args.length}`,
        nameToken.text,
      );
    }
    return { kind: "Call", pos, name: name as ScalarFunctionName, arguments: args };
  }

  private parseDatePart<T extends string>(allowed: readonly T[]): T {
    const token = this.peek();
    // Date parts are reserved words (YEAR, MONTH...), so they come as keywords.
    if (token.kind !== "identifier" && token.kind !== "keyword") throw this.expectedError("a date part", token);
    const part = allowed.find((candidate) => candidate === token.value.toLowerCase());
    if (part === undefined) {
      throw sqlError(
        "ParseUnsupportedSyntax",
        token.pos,
        `unknown date part ${describeToken(token)}; expected one of ${allowed.join(", ")}`,
        token.text,
      );
    }
    this.next();
    return part;
  }

  private parseCase(): Expression {
    const start = this.expectKeyword("CASE");
    const operand = this.isKeyword("WHEN") ? null : this.parseExpression();
    const branches: CaseBranch[] = [];
    while (this.isKeyword("WHEN")) {
      const when = this.next();
      const condition = this.parseExpression();
      this.expectKeyword("THEN");
      branches.push({ kind: "CaseBranch", pos: when.pos, when: condition, then: this.parseExpression() });
    }
    if (branches.length === 0) throw this.expectedError("WHEN");
    const otherwise = this.acceptKeyword("ELSE") !== null ? this.parseExpression() : null;
    this.expectKeyword("END");
    return { kind: "Case", pos: start.pos, operand, branches, otherwise };
  }

  private parseCast(): Expression {
    const start = this.expectKeyword("CAST");
    this.expectPunct("(");
    const operand = this.parseExpression();
    this.expectKeyword("AS");
    const type = this.parseType();
    this.expectPunct(")");
    return { kind: "Cast", pos: start.pos, operand, type };
  }

  private parseType(): SqlType {
    const token = this.peek();
    // Type names are reserved words (INT, STRING...), so they come as keywords.
    if (token.kind !== "identifier" && token.kind !== "keyword") throw this.expectedError("a type name", token);
    const name = TYPE_NAMES.get(token.value.toUpperCase());
    if (name === undefined) {
      throw sqlError(
        "ParseUnsupportedSyntax",
        token.pos,
        `unknown type ${describeToken(token)}; expected BOOL, BOOLEAN, INT, INTEGER, STRING, FLOAT, DECIMAL, NUMERIC or TIMESTAMP`,
        token.text,
      );
    }
    this.next();
    let precision: number | null = null;
    let scale: number | null = null;
    const open = this.acceptPunct("(");
    if (open !== null) {
      if (name !== "DECIMAL") {
        throw sqlError("ParseUnsupportedSyntax", open.pos, `type ${token.text} takes no precision`, open.text);
      }
      precision = this.parseTypeNumber();
      if (this.acceptPunct(",") !== null) scale = this.parseTypeNumber();
      this.expectPunct(")");
    }
    return { kind: "Type", pos: token.pos, name, text: token.text, precision, scale };
  }

  private parseTypeNumber(): number {
    const token = this.peek();
    if (token.kind !== "integer") throw this.expectedError("an integer precision or scale", token);
    this.next();
    return Number(token.value);
  }

  private parseSubstring(): Expression {
    const start = this.expectKeyword("SUBSTRING");
    this.expectPunct("(");
    const operand = this.parseExpression();
    let from: Expression;
    let length: Expression | null = null;
    if (this.acceptKeyword("FROM") !== null) {
      from = this.parseExpression();
      if (this.acceptKeyword("FOR") !== null) length = this.parseExpression();
    } else {
      this.expectPunct(",");
      from = this.parseExpression();
      if (this.acceptPunct(",") !== null) length = this.parseExpression();
    }
    this.expectPunct(")");
    return { kind: "Substring", pos: start.pos, operand, start: from, length };
  }

  private parseTrim(): Expression {
    const start = this.expectKeyword("TRIM");
    this.expectPunct("(");
    let side: "LEADING" | "TRAILING" | "BOTH" = "BOTH";
    let characters: Expression | null = null;
    let operand: Expression;
    const sideToken = this.peek();
    if (sideToken.kind === "keyword" && ["LEADING", "TRAILING", "BOTH"].includes(sideToken.value)) {
      this.next();
      side = sideToken.value as typeof side;
      // TRIM(LEADING FROM s) or TRIM(LEADING chars FROM s)
      if (this.acceptKeyword("FROM") === null) {
        characters = this.parseExpression();
        this.expectKeyword("FROM");
      }
      operand = this.parseExpression();
    } else {
      const first = this.parseExpression();
      if (this.acceptKeyword("FROM") !== null) {
        characters = first;
        operand = this.parseExpression();
      } else {
        operand = first;
      }
    }
    this.expectPunct(")");
    return { kind: "Trim", pos: start.pos, side, characters, operand };
  }

  private parseExtract(): Expression {
    const start = this.expectKeyword("EXTRACT");
    this.expectPunct("(");
    const part = this.parseDatePart(EXTRACT_PARTS);
    this.expectKeyword("FROM");
    const operand = this.parseExpression();
    this.expectPunct(")");
    return { kind: "Extract", pos: start.pos, part, operand };
  }
}

function identifierOf(token: Token): Identifier {
  return { kind: "Identifier", pos: token.pos, name: token.value, quoted: token.kind === "quotedIdentifier" };
}

function binary(operator: BinaryOperator, operatorToken: Token, left: Expression, right: Expression): Expression {
  return { kind: "Binary", pos: left.pos, operatorPos: operatorToken.pos, operator, left, right };
}

/** Function names on AWS's reserved list (COUNT, LOWER...): keywords that may still be called. */
function isFunctionName(word: string): boolean {
  return AGGREGATES.has(word) || SCALAR_ARITY.has(word as ScalarFunctionName);
}

function unexpectedKeyword(token: Token, what: string) {
  return sqlError(
    "ParseUnExpectedKeyword",
    token.pos,
    `unexpected keyword ${token.value} where ${what} belongs: a reserved word is a name only when double-quoted ("${token.text}")`,
    token.text,
  );
}

function invalidStep(token: Token, message: string) {
  const hint = token.kind === "keyword" ? ` (reserved word ${token.value} must be double-quoted)` : "";
  return sqlError(
    "ParseInvalidPathComponent",
    token.pos,
    `invalid path component ${describeToken(token)}: ${message}${hint}`,
    token.text,
  );
}

function expectedExpression(token: Token) {
  return sqlError(
    "ParseExpectedExpression",
    token.pos,
    `expected an expression but found ${describeToken(token)}`,
    token.text,
  );
}

export type { SourcePosition };

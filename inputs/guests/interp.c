/* A small interpreter: compiles a program of assignments and prints to stack bytecode, then runs
 * the bytecode. Input, one statement per line:
 *     name = expr
 *     print expr
 * expr has C's operators and precedence:  | ^ & << >> + - * / %  unary - ~ +  ( )
 * over 32-bit two's-complement integers with wrapping arithmetic. / and % truncate toward zero and
 * follow RISC-V on the edge cases (x / 0 = -1, x % 0 = x, INT_MIN / -1 = INT_MIN, INT_MIN % -1 =
 * 0); shift amounts are taken mod 32 and >> is arithmetic. Each print commits the value in decimal
 * and a newline. A syntax error, an unknown variable or a full table exits with code 3 after a
 * debug-log line naming the input line. */
#include <stdint.h>
#include <string.h>

#include "guest.h"

enum { MAX_INPUT = 1 << 18, MAX_CODE = 1 << 17, MAX_VARS = 64, MAX_NAME = 15, STACK = 256 };

enum Opcode {
  OP_PUSH,
  OP_LOAD,
  OP_STORE,
  OP_PRINT,
  OP_NEG,
  OP_NOT,
  OP_OR,
  OP_XOR,
  OP_AND,
  OP_SHL,
  OP_SHR,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIV,
  OP_REM,
  OP_HALT
};

static char src[MAX_INPUT + 1];
static int32_t code[MAX_CODE];
static uint32_t code_len;
static char names[MAX_VARS][MAX_NAME + 1];
static uint32_t var_count;
static const char* p;
static uint32_t line = 1;

__attribute__((noreturn)) static void fail(const char* what) {
  char msg[80];
  char num[12];
  int n = 0;
  uint32_t l = line;
  do {
    num[n++] = (char)('0' + l % 10);
    l /= 10;
  } while (l != 0);
  char* m = msg;
  const char* prefix = "interp: line ";
  while (*prefix) *m++ = *prefix++;
  while (n > 0) *m++ = num[--n];
  *m++ = ':';
  *m++ = ' ';
  while (*what && m < msg + sizeof msg - 2) *m++ = *what++;
  *m++ = '\n';
  *m = '\0';
  guest_debug(msg);
  guest_exit(3);
}

static void emit(int32_t v) {
  if (code_len >= MAX_CODE) fail("program too long");
  code[code_len++] = v;
}

static void skip_spaces(void) {
  while (*p == ' ' || *p == '\t') ++p;
}

static int is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* Reads an identifier into out; returns its length (0 if none). */
static uint32_t identifier(char out[MAX_NAME + 1]) {
  uint32_t n = 0;
  while (is_alpha(*p) || (n > 0 && is_digit(*p))) {
    if (n == MAX_NAME) fail("name too long");
    out[n++] = *p++;
  }
  out[n] = '\0';
  return n;
}

static int32_t lookup(const char* name, int create) {
  for (uint32_t i = 0; i < var_count; ++i)
    if (strcmp(names[i], name) == 0) return (int32_t)i;
  if (!create) fail("unknown variable");
  if (var_count == MAX_VARS) fail("too many variables");
  strcpy(names[var_count], name);
  return (int32_t)var_count++;
}

static void expr_or(void);

static void primary(void) {
  skip_spaces();
  if (*p == '(') {
    ++p;
    expr_or();
    skip_spaces();
    if (*p != ')') fail("expected ')'");
    ++p;
  } else if (is_digit(*p)) {
    uint32_t v = 0;
    while (is_digit(*p)) {
      v = v * 10 + (uint32_t)(*p++ - '0');
      if (v > 0x7fffffffu) fail("literal out of range");
    }
    emit(OP_PUSH);
    emit((int32_t)v);
  } else if (is_alpha(*p)) {
    char name[MAX_NAME + 1];
    identifier(name);
    emit(OP_LOAD);
    emit(lookup(name, 0));
  } else {
    fail("expected a number, a name or '('");
  }
}

static void unary(void) {
  skip_spaces();
  if (*p == '-' || *p == '~' || *p == '+') {
    const char op = *p++;
    unary();
    if (op == '-') emit(OP_NEG);
    if (op == '~') emit(OP_NOT);
  } else {
    primary();
  }
}

static void expr_mul(void) {
  unary();
  for (;;) {
    skip_spaces();
    const char c = *p;
    if (c != '*' && c != '/' && c != '%') return;
    ++p;
    unary();
    emit(c == '*' ? OP_MUL : c == '/' ? OP_DIV : OP_REM);
  }
}

static void expr_add(void) {
  expr_mul();
  for (;;) {
    skip_spaces();
    const char c = *p;
    if (c != '+' && c != '-') return;
    ++p;
    expr_mul();
    emit(c == '+' ? OP_ADD : OP_SUB);
  }
}

static void expr_shift(void) {
  expr_add();
  for (;;) {
    skip_spaces();
    if (!((p[0] == '<' && p[1] == '<') || (p[0] == '>' && p[1] == '>'))) return;
    const char c = *p;
    p += 2;
    expr_add();
    emit(c == '<' ? OP_SHL : OP_SHR);
  }
}

static void expr_and(void) {
  expr_shift();
  for (;;) {
    skip_spaces();
    if (*p != '&') return;
    ++p;
    expr_shift();
    emit(OP_AND);
  }
}

static void expr_xor(void) {
  expr_and();
  for (;;) {
    skip_spaces();
    if (*p != '^') return;
    ++p;
    expr_and();
    emit(OP_XOR);
  }
}

static void expr_or(void) {
  expr_xor();
  for (;;) {
    skip_spaces();
    if (*p != '|') return;
    ++p;
    expr_xor();
    emit(OP_OR);
  }
}

static void compile(void) {
  while (*p != '\0') {
    skip_spaces();
    if (*p == '\n') {
      ++p;
      ++line;
      continue;
    }
    char name[MAX_NAME + 1];
    if (identifier(name) == 0) fail("expected a statement");
    if (strcmp(name, "print") == 0) {
      expr_or();
      emit(OP_PRINT);
    } else {
      skip_spaces();
      if (*p != '=') fail("expected '='");
      ++p;
      expr_or();
      emit(OP_STORE);
      emit(lookup(name, 1)); /* after the expression: `x = x + 1` needs an existing x */
    }
    skip_spaces();
    if (*p != '\n' && *p != '\0') fail("unexpected text after the statement");
  }
  emit(OP_HALT);
}

static char out[1 << 16];
static uint32_t out_len;

static void print_value(int32_t v) {
  if (out_len + 13 > sizeof out) {
    guest_commit(out, out_len);
    out_len = 0;
  }
  uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (v < 0) out[out_len++] = '-';
  while (n > 0) out[out_len++] = digits[--n];
  out[out_len++] = '\n';
}

static void run(void) {
  int32_t stack[STACK];
  int32_t vars[MAX_VARS];
  uint32_t sp = 0;
  for (uint32_t pc = 0;;) {
    const int32_t op = code[pc++];
    if (op == OP_HALT) break;
    switch (op) {
      case OP_PUSH:
        if (sp == STACK) fail("expression too deep");
        stack[sp++] = code[pc++];
        break;
      case OP_LOAD:
        if (sp == STACK) fail("expression too deep");
        stack[sp++] = vars[code[pc++]];
        break;
      case OP_STORE:
        vars[code[pc++]] = stack[--sp];
        break;
      case OP_PRINT:
        print_value(stack[--sp]);
        break;
      case OP_NEG:
        stack[sp - 1] = (int32_t)(0u - (uint32_t)stack[sp - 1]);
        break;
      case OP_NOT:
        stack[sp - 1] = ~stack[sp - 1];
        break;
      default: {
        const uint32_t b = (uint32_t)stack[--sp], a = (uint32_t)stack[sp - 1];
        uint32_t r = 0;
        switch (op) {
          case OP_OR:
            r = a | b;
            break;
          case OP_XOR:
            r = a ^ b;
            break;
          case OP_AND:
            r = a & b;
            break;
          case OP_SHL:
            r = a << (b & 31);
            break;
          case OP_SHR:
            r = (uint32_t)((int32_t)a >> (b & 31));
            break;
          case OP_ADD:
            r = a + b;
            break;
          case OP_SUB:
            r = a - b;
            break;
          case OP_MUL:
            r = a * b;
            break;
          case OP_DIV:
            if (b == 0)
              r = 0xffffffffu;
            else if (a == 0x80000000u && b == 0xffffffffu)
              r = a;
            else
              r = (uint32_t)((int32_t)a / (int32_t)b);
            break;
          case OP_REM:
            if (b == 0)
              r = a;
            else if (a == 0x80000000u && b == 0xffffffffu)
              r = 0;
            else
              r = (uint32_t)((int32_t)a % (int32_t)b);
            break;
        }
        stack[sp - 1] = (int32_t)r;
      }
    }
  }
  guest_commit(out, out_len);
}

int main(void) {
  const size_t len = guest_read(src, MAX_INPUT);
  if (len == MAX_INPUT) fail("program longer than 256 KiB");
  src[len] = '\0';
  p = src;
  compile();
  run();
  return 0;
}

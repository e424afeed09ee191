/* Guest start-up: global pointer, stack, thread pointer, main, exit(main's return value).
 * The executor and qemu-user both start at _start with zeroed registers or a Linux stack; this
 * code depends on neither.
 *
 * .bss is not zeroed here: guest.ld puts it in a PT_LOAD segment whose bytes past p_filesz are
 * zero by the ELF rules, and both loaders honour them — Tessera's initial memory image (hence the
 * initial root, part of the program's commitment) has zeros there, and qemu-user maps them as
 * anonymous zero pages. A zeroing loop costs 4 cycles per word and pages in every bss page in the
 * first shard (1 M of sort's 1.17 M cycles on a small input). */
    .section .text.init.enter, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .option push
    .option norelax            /* gp cannot be set through a gp-relative address */
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    la      tp, __tls_base     /* picolibc keeps errno in thread-local storage */
    li      a0, 0              /* main(0, NULL) for a main that takes argc/argv */
    li      a1, 0
    call    main
    li      a7, 93             /* exit(a0 = main's return value) */
    ecall
3:  j       3b
    .size _start, . - _start

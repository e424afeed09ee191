/* Guest start-up: global pointer, stack, thread pointer, bss, main, exit(main's return value).
 * The executor and qemu-user both start at _start with zeroed registers or a Linux stack; this
 * code depends on neither. */
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
    la      a0, __bss_start
    la      a1, __bss_end
1:  bgeu    a0, a1, 2f         /* zero .bss (loaders zero it too; this makes no assumption) */
    sw      zero, 0(a0)
    addi    a0, a0, 4
    j       1b
2:  li      a0, 0              /* main(0, NULL) for a main that takes argc/argv */
    li      a1, 0
    call    main
    li      a7, 93             /* exit(a0 = main's return value) */
    ecall
3:  j       3b
    .size _start, . - _start

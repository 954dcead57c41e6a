| Argument decoding through real traps, with mixed 8/16/32-bit arguments pushed as the
| PalmOS ABI says, both inline (TRAP #15 + word) and through the dispatch table at 0x122.
| guest_main returns 0 when every check passed, else the number of the first failed check.
| The host test also inspects `buf1`, `buf2` and `dst` through the ELF symbols.
    .text
    .globl guest_main
guest_main:
    movem.l %d2-%d7/%a2-%a6,-(%sp)
    | 1. MemSet(buf1 + 1, 5, 0x3C): pointer, Int32, UInt8 in a word slot (junk in the high byte).
    move.w #0xA53C,-(%sp)
    move.l #5,-(%sp)
    pea buf1+1
    trap #15
    .word 0xA027
    lea 10(%sp),%sp
    moveq #1,%d7
    tst.w %d0
    bne fail
    lea buf1,%a0
    cmp.b #0,(%a0)
    bne fail
    cmp.l #0x3C3C3C3C,1(%a0)
    bne fail
    cmp.b #0x3C,5(%a0)
    bne fail
    cmp.b #0,6(%a0)
    bne fail
    | 2. StrNCopy(dst, src, 3): pointer, pointer, Int16.
    move.w #3,-(%sp)
    pea src
    pea dst
    trap #15
    .word 0xA2CE
    lea 10(%sp),%sp
    moveq #2,%d7
    cmp.l #dst,%a0
    bne fail
    cmp.l #0x50616C00,dst          | "Pal" then the untouched 0 byte
    bne fail
    | 3. The same MemSet through the dispatch table (fast trap): JSR to the ROM stub.
    move.w #0x0077,-(%sp)
    move.l #3,-(%sp)
    pea buf2
    move.l (0x122).w,%a1
    move.l (0x27*4)(%a1),%a1
    jsr (%a1)
    lea 10(%sp),%sp
    moveq #3,%d7
    cmp.l #0x77777700,buf2
    bne fail
    | 4. StrIToA(dst, -12345): pointer, Int32; result pointer in A0.
    move.l #-12345,-(%sp)
    pea dst
    trap #15
    .word 0xA0C9
    addq.l #8,%sp
    moveq #4,%d7
    cmp.l #dst,%a0
    bne fail
    cmp.l #0x2D313233,dst          | "-123"
    bne fail
    cmp.w #0x3435,dst+4            | "45"
    bne fail
    | 5. Callee-saved registers survive a trap.
    move.l #0x11111111,%d3
    move.l #0x22222222,%a2
    trap #15
    .word 0xA2E9                   | SysTicksPerSecond
    moveq #5,%d7
    cmp.w #100,%d0
    bne fail
    cmp.l #0x11111111,%d3
    bne fail
    cmp.l #0x22222222,%a2
    bne fail
    moveq #0,%d0
    bra done
fail:
    move.l %d7,%d0
done:
    movem.l (%sp)+,%d2-%d7/%a2-%a6
    rts

    .section .rodata
src:
    .asciz "Palm"

    .bss
    .globl buf1, buf2, dst
    .balign 4
buf1: .space 16
buf2: .space 16
dst:  .space 16

/* u32 Z_envZ_palm_trap(struct Z_env_instance_t *env, u32 word, u32 shape,
 *                      u32 a0, u32 a1, ..., u32 a13)
 *
 * The wasm import `env.palm_trap` (guest-sdk/src/traps.rs): calls PalmOS trap `word` with
 * the arguments a0.. pushed right to left, each with the width that `shape` gives it
 * (bits 2i..2i+1 of shape for argument i < 14: 0 absent, 1 = 8-bit in a 2-byte slot (low byte
 * significant), 2 = 16-bit, 3 = 32-bit), by JSR to the trap's stub through the dispatch
 * table at sysDispatchTableP (0x122) -- PalmOS "fast trap" calling -- then pops the arguments.
 * Returns D0, or A0 when bit 31 of shape is set (pointer results).
 *
 * Stack on entry: return address at 0(%sp), then the C arguments, 4 bytes each: env 4,
 * word 8, shape 12, a0 16, ..., a13 68 (16 + 4 * 13). After the movem of 16 bytes every
 * offset grows by 16: word 24, shape 28, a0 32, a13 84, one past a13 88.
 *
 * A trap may clobber D0-D2/A0-A1; GCC expects D2 preserved, so it is saved here. The code is
 * never modified at run time. */
#include "palm_abi.h"

        .text
        .even
        .globl  Z_envZ_palm_trap
        .type   Z_envZ_palm_trap, @function
Z_envZ_palm_trap:
        movem.l %d2-%d4/%a2, -(%sp)     /* 16 bytes; the C arguments now start at 20(%sp) */
        move.l  28(%sp), %d3            /* shape (preserved across the trap: D3 is callee-saved) */
        lea     88(%sp), %a2            /* one past a13 (a0 is at 32(%sp)) */
        moveq   #0, %d4                 /* bytes pushed */
        moveq   #13, %d1                /* argument index, 13 down to 0 */
1:      move.l  -(%a2), %d2             /* argument value */
        move.l  %d3, %d0
        lsr.l   %d1, %d0                /* shape >> i ... */
        lsr.l   %d1, %d0                /* ... >> i again: shape >> 2i */
        andi.l  #3, %d0
        beq.s   3f                      /* absent */
        cmpi.l  #3, %d0
        beq.s   2f
        move.w  %d2, -(%sp)             /* 8- or 16-bit: one word (an 8-bit value is its low byte) */
        addq.l  #2, %d4
        bra.s   3f
2:      move.l  %d2, -(%sp)             /* 32-bit */
        addq.l  #4, %d4
3:      dbra    %d1, 1b
        move.l  -8(%a2), %d0            /* word (a2 now points at a0, word is two slots below) */
        andi.l  #0x0FFF, %d0
        lsl.l   #2, %d0
        movea.l (PALM_SYS_DISPATCH_TABLE_P).w, %a1
        movea.l (%a1,%d0.l), %a1
        jsr     (%a1)                   /* the stub: trap #15; dc.w word; rts */
        adda.l  %d4, %sp                /* pop the arguments */
        tst.l   %d3                     /* bit 31: result in A0 */
        bpl.s   4f
        move.l  %a0, %d0                /* pointer result */
4:      movem.l (%sp)+, %d2-%d4/%a2
        rts
        .size   Z_envZ_palm_trap, .-Z_envZ_palm_trap

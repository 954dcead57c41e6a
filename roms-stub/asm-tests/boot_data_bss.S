/* Checks boot.S's start-up work: .data copied from its ROM image to RAM (and writable there),
 * .bss zeroed, 0xFEEDBEEF at address 8, the dispatch table at sysDispatchTableP (0x122)
 * pointing at the trap stubs. guest_main returns 0 if all hold, otherwise the number of the
 * first failed check (so the run's exit code names it). */
        .data
        .balign 4
data_word:
        .long   0x12345678
data_bytes:
        .byte   0x11, 0x22, 0x33
        .balign 4

        .bss
        .balign 4
bss_block:
        .space  256

        .text
        .even
        .globl  guest_main
guest_main:
        moveq   #1, %d0                         /* 1: .data long copied */
        cmpi.l  #0x12345678, data_word
        bne     fail
        moveq   #2, %d0                         /* 2: .data bytes copied */
        lea     data_bytes, %a0
        cmpi.b  #0x11, (%a0)+
        bne     fail
        cmpi.b  #0x22, (%a0)+
        bne     fail
        cmpi.b  #0x33, (%a0)
        bne     fail
        moveq   #3, %d0                         /* 3: .bss zeroed */
        lea     bss_block, %a0
        move.w  #256/4 - 1, %d1
1:      tst.l   (%a0)+
        bne     fail
        dbra    %d1, 1b
        moveq   #4, %d0                         /* 4: 0xFEEDBEEF at 8 */
        cmpi.l  #0xFEEDBEEF, (8).w
        bne     fail
        moveq   #5, %d0                         /* 5: table entry 0 = first stub */
        movea.l (0x122).w, %a0
        cmpa.l  #__trap_stubs_start, %a0
        beq     fail                            /* the table is not the stubs themselves */
        move.l  (%a0), %d1
        cmpi.l  #__trap_stubs_start, %d1
        bne     fail
        moveq   #6, %d0                         /* 6: entry 0x344 = stub 0x344, which traps A344 */
        movea.l 0x344*4(%a0), %a1
        cmpa.l  #__trap_stubs_start + 6*0x344, %a1
        bne     fail
        cmpi.w  #0x4E4F, (%a1)
        bne     fail
        cmpi.w  #0xA344, 2(%a1)
        bne     fail
        cmpi.w  #0x4E75, 4(%a1)
        bne     fail
        moveq   #7, %d0                         /* 7: last entry = last stub */
        move.l  0xFFF*4(%a0), %d1
        cmpi.l  #__trap_stubs_start + 6*0xFFF, %d1
        bne     fail
        moveq   #8, %d0                         /* 8: .data is writable RAM */
        move.l  #0xCAFEF00D, data_word
        cmpi.l  #0xCAFEF00D, data_word
        bne     fail
        moveq   #0, %d0
fail:   rts

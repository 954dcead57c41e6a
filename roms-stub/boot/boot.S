/* Boot code of the stub ROM. The emulator starts at the reset vector's PC with SR = 0x2700
 * (supervisor, interrupts masked) and A7 = the vector's SSP (top of system RAM).
 *
 * _start: copy .data from ROM to RAM, zero .bss, store 0xFEEDBEEF at address 8, build the
 * trap dispatch table (entry i = __trap_stubs_start + 6*i) and store its address at
 * sysDispatchTableP (0x122), call guest_main, then hand its D0 to the UI shell with
 * HostControl(HOST_UI_SHELL, code) (which exits with it when no application is waiting). Also the callback-return stub (see below). Exceptions are never used (Unicorn does not deliver them),
 * so there is no vector table beyond the reset pair. Assembled with the C preprocessor. */
#include "palm_abi.h"

        .section .vectors, "a"
        .long   PALM_SYSTEM_STACK_TOP   /* initial SSP */
        .long   _start                  /* initial PC */

        .section .text.boot, "ax"
        .even
        .globl  _start
        .type   _start, @function
_start:
        /* .data: ROM image -> RAM (both 4-aligned, size a multiple of 4) */
        lea     __data_load, %a0
        lea     __data_start, %a1
        lea     __data_end, %a2
1:      cmpa.l  %a2, %a1
        bcc.s   2f
        move.l  (%a0)+, (%a1)+
        bra.s   1b
2:
        /* .bss: zero (4-aligned, size a multiple of 4) */
        lea     __bss_start, %a1
        lea     __bss_end, %a2
        moveq   #0, %d0
3:      cmpa.l  %a2, %a1
        bcc.s   4f
        move.l  %d0, (%a1)+
        bra.s   3b
4:
        move.l  #PALM_FEEDBEEF, (PALM_FEEDBEEF_ADDR).w

        /* Trap dispatch table: entry i -> stub i */
        lea     sys_dispatch_table, %a1
        move.l  %a1, (PALM_SYS_DISPATCH_TABLE_P).w
        lea     __trap_stubs_start, %a0
        move.w  #PALM_DISPATCH_TABLE_ENTRIES - 1, %d0
5:      move.l  %a0, (%a1)+
        addq.l  #PALM_TRAP_STUB_SIZE, %a0
        dbra    %d0, 5b

        jsr     guest_main

        /* HostControl(HOST_UI_SHELL, UInt32 code): the UI shell starts the application
         * SysUIAppSwitch asked for (and this built-in one again when it returns), or stops
         * the run with `code` as the exit code. Does not return. */
        move.l  %d0, -(%sp)
        move.w  #PALM_HOST_UI_SHELL, -(%sp)
        trap    #15
        .word   PALM_TRAP_HOST_CONTROL
        illegal                         /* the host stops the run; never reached */
        .size   _start, .-_start

/* The callback-return stub: the shim makes application code it calls from a trap (a form
 * event handler) return here; HostControl(HOST_CALLBACK_RETURN) resumes the waiting trap
 * with D0, which also restores the stack, so control never comes back to this code. */
        .section .text.boot, "ax"
        .even
        .globl  __callback_return_stub
        .type   __callback_return_stub, @function
__callback_return_stub:
        move.w  #PALM_HOST_CALLBACK_RETURN, -(%sp)
        trap    #15
        .word   PALM_TRAP_HOST_CONTROL
        illegal                         /* never reached */
        .size   __callback_return_stub, .-__callback_return_stub

/* The trap stubs: for i in 0..DISPATCH_TABLE_ENTRIES: trap #15; dc.w 0xA000+i; rts */
        .section .trap_stubs, "ax"
        .even
        .set    trap_index, 0
        .rept   PALM_DISPATCH_TABLE_ENTRIES
        trap    #15
        .word   PALM_SYS_TRAP_BASE + trap_index
        rts
        .set    trap_index, trap_index + 1
        .endr

/* The dispatch table itself (DISPATCH_TABLE_ENTRIES longwords) lives in .bss. */
        .section .bss
        .balign 4
        .globl  sys_dispatch_table
sys_dispatch_table:
        .space  PALM_DISPATCH_TABLE_ENTRIES * 4
        .size   sys_dispatch_table, PALM_DISPATCH_TABLE_ENTRIES * 4

/* The entry point of an SDK program packaged as a PalmOS application (.prc): the first byte
 * of `code` 1 (guest-sdk/link/app.ld.S puts .text.app_entry first). The OS calls it with no
 * arguments and A5 = the application's globals (its A5 world, which is also the GOT that
 * -msep-data code reaches through A5); the result goes back in D0.
 *
 *   SysAppStartup(&appInfoP, &prevGlobalsP, &globalsP)   -- an error is returned as is
 *   if the launch has no globals of ours (sysAppLaunchFlagNewGlobals clear) or the OS did not
 *      relocate them (sysAppLaunchFlagDataRelocated clear): result = sysErrParamErr, and no
 *      global is touched (A5 may be the caller's)
 *   else result = __app_main(appInfoP)        (app_rt.c: launch code, arena, guest_main)
 *   SysAppExit(appInfoP, prevGlobalsP, globalsP)
 *   return result
 *
 * Position-independent by construction: traps are `trap #15` + word, the only call is bsr.l.
 * Preserves D2-D7/A2-A6 for the caller (traps may clobber D0-D2/A0-A1). */
#include "palm_app.h"

        .section .text.app_entry, "ax"
        .even
        .globl  __app_start
        .type   __app_start, @function
__app_start:
        link.w  %a6, #-12               /* -12: appInfoP, -8: prevGlobalsP, -4: globalsP */
        movem.l %d2-%d3, -(%sp)
        pea     -4(%a6)
        pea     -8(%a6)
        pea     -12(%a6)
        trap    #15
        .word   PALM_TRAP_SYS_APP_STARTUP
        lea     12(%sp), %sp
        andi.l  #0xFFFF, %d0            /* Err is 16 bits */
        bne.s   .Lreturn                /* no SysAppInfo: nothing to exit from */

        move.l  #PALM_SYS_ERR_PARAM_ERR, %d3
        movea.l -12(%a6), %a0
        move.w  PALM_APP_INFO_LAUNCH_FLAGS(%a0), %d0
        andi.w  #(PALM_LAUNCH_FLAG_NEW_GLOBALS + PALM_LAUNCH_FLAG_DATA_RELOCATED), %d0
        cmpi.w  #(PALM_LAUNCH_FLAG_NEW_GLOBALS + PALM_LAUNCH_FLAG_DATA_RELOCATED), %d0
        bne.s   .Lexit

        move.l  %a0, -(%sp)
        bsr.l   __app_main
        addq.l  #4, %sp
        move.l  %d0, %d3

.Lexit:
        move.l  -4(%a6), -(%sp)
        move.l  -8(%a6), -(%sp)
        move.l  -12(%a6), -(%sp)
        trap    #15
        .word   PALM_TRAP_SYS_APP_EXIT
        lea     12(%sp), %sp
        move.l  %d3, %d0
.Lreturn:
        movem.l (%sp)+, %d2-%d3
        unlk    %a6
        rts
        .size   __app_start, .-__app_start

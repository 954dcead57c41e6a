//! The guest physical address map of the emulated handheld. Every region's base and size is
//! defined here once; the emulator maps exactly these regions and nothing else, so any other
//! access is an unmapped-access fault.
//!
//! ```text
//! 0x0000_0000 ┌──────────────────────┐ LOW_MEMORY: vectors, low-memory globals,
//!             │                      │   sysDispatchTableP at 0x122
//! 0x0000_1000 ├──────────────────────┤ SYSTEM_RAM: ROM .data/.bss, trap dispatch table,
//!             │                      │   boot/system stack (top at SYSTEM_STACK_TOP)
//! 0x0010_0000 ├──────────────────────┤ DYNAMIC_HEAP: MemPtrNew/MemHandleNew chunks,
//!             │                      │   app globals and stacks
//! 0x0040_0000 ├──────────────────────┤ FRAMEBUFFER: 160x160 screen, up to 16 bpp
//! 0x0041_0000 └──────────────────────┘
//! 0x0100_0000 ┌──────────────────────┐ STORAGE_HEAP: database records and resources;
//!             │  read-only to guest  │   writable only via DmWrite or MemSemaphoreReserve
//! 0x0200_0000 └──────────────────────┘
//! 0x1000_0000 ┌──────────────────────┐ ROM: the stub ROM image (vectors at offset 0,
//!             │  read-only to guest  │   boot code, trap stubs, built-in code)
//! 0x1040_0000 └──────────────────────┘
//! 0xFFFF_F000 ┌──────────────────────┐ HW_REGISTERS: DragonBall-style registers
//! 0xFFFF_FFFF └──────────────────────┘   (LSSA, the LCD start address, at 0xFFFF_FA00)
//! ```

/// A contiguous guest address range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub name: &'static str,
    pub base: u32,
    pub size: u32,
}

impl Region {
    pub const fn end(&self) -> u32 {
        self.base.wrapping_add(self.size)
    }
    /// True if `[addr, addr+len)` lies entirely inside the region.
    pub const fn contains_range(&self, addr: u32, len: u32) -> bool {
        let off = addr.wrapping_sub(self.base);
        addr >= self.base && off <= self.size && len <= self.size - off
    }
    pub const fn contains(&self, addr: u32) -> bool {
        self.contains_range(addr, 1)
    }
}

pub const LOW_MEMORY: Region = Region { name: "low memory", base: 0x0000_0000, size: 0x1000 };
pub const SYSTEM_RAM: Region = Region { name: "system RAM", base: 0x0000_1000, size: 0x000F_F000 };
pub const DYNAMIC_HEAP: Region = Region { name: "dynamic heap", base: 0x0010_0000, size: 0x0030_0000 };
pub const FRAMEBUFFER: Region = Region { name: "framebuffer", base: 0x0040_0000, size: 0x0001_0000 };
pub const STORAGE_HEAP: Region = Region { name: "storage heap", base: 0x0100_0000, size: 0x0100_0000 };
pub const ROM: Region = Region { name: "ROM", base: 0x1000_0000, size: 0x0040_0000 };
pub const HW_REGISTERS: Region = Region { name: "hardware registers", base: 0xFFFF_F000, size: 0x1000 };

/// Every mapped region, in address order.
pub const REGIONS: [Region; 7] =
    [LOW_MEMORY, SYSTEM_RAM, DYNAMIC_HEAP, FRAMEBUFFER, STORAGE_HEAP, ROM, HW_REGISTERS];

/// Initial supervisor stack pointer used by the stub ROM (top of system RAM).
pub const SYSTEM_STACK_TOP: u32 = SYSTEM_RAM.base + SYSTEM_RAM.size;

/// Low-memory global holding the address of the trap dispatch table ("fast traps":
/// `MOVE.L (0x122).W,A1; MOVE.L off(A1),A1; JSR (A1)`).
pub const SYS_DISPATCH_TABLE_P: u32 = 0x122;

/// Number of entries in the trap dispatch table (trap words 0xA000..=0xAFFF).
pub const DISPATCH_TABLE_ENTRIES: u32 = 0x1000;

/// Size in bytes of one trap stub in the ROM: `TRAP #15; DC.W 0xAxxx; RTS`.
pub const TRAP_STUB_SIZE: u32 = 6;

/// DragonBall LCD screen start address register (holds the framebuffer address).
pub const LSSA: u32 = 0xFFFF_FA00;

/// Screen geometry.
pub const SCREEN_WIDTH: u32 = 160;
pub const SCREEN_HEIGHT: u32 = 160;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_ordered_and_disjoint() {
        for w in REGIONS.windows(2) {
            assert!(w[0].end() <= w[1].base || w[0].end() == 0, "{:?} overlaps {:?}", w[0], w[1]);
        }
        for r in REGIONS {
            assert_eq!(r.base % 0x1000, 0, "{} not page aligned", r.name);
            assert_eq!(r.size % 0x1000, 0, "{} size not page multiple", r.name);
        }
    }

    #[test]
    fn contains_range_edges() {
        assert!(ROM.contains_range(ROM.base, ROM.size));
        assert!(!ROM.contains_range(ROM.base, ROM.size + 1));
        assert!(!ROM.contains_range(ROM.base - 1, 2));
        assert!(HW_REGISTERS.contains(0xFFFF_FFFF));
        assert!(HW_REGISTERS.contains_range(0xFFFF_FFFC, 4));
        assert!(!HW_REGISTERS.contains_range(0xFFFF_FFFC, 5));
    }
}

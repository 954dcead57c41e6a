//! PNG output of surfaces: RGB, 8 bits per channel, scaled 1..=4 times by pixel replication,
//! for screenshots, the window frontend's snapshots and test artefacts.

use super::surface::Surface;
use crate::memory::{GuestMemory, MemError};
use std::io::Write;
use std::path::Path;
use thiserror::Error;

/// Why a PNG could not be written.
#[derive(Debug, Error)]
pub enum PngError {
    #[error(transparent)]
    Mem(#[from] MemError),
    #[error("scale {0} is outside 1..=4")]
    BadScale(u32),
    #[error("empty surface")]
    Empty,
    #[error(transparent)]
    Encode(#[from] png::EncodingError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Scales packed RGB888 (`width` x `height`) by `scale` with nearest-neighbour replication.
pub fn scale_rgb888(rgb: &[u8], width: usize, height: usize, scale: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len() * scale * scale);
    for row in rgb.chunks(width * 3).take(height) {
        let mut wide = Vec::with_capacity(row.len() * scale);
        for px in row.chunks(3) {
            for _ in 0..scale {
                wide.extend_from_slice(px);
            }
        }
        for _ in 0..scale {
            out.extend_from_slice(&wide);
        }
    }
    out
}

/// Encodes packed RGB888 as a PNG into `w`.
pub fn encode_rgb888(w: impl Write, rgb: &[u8], width: u32, height: u32) -> Result<(), PngError> {
    let mut enc = png::Encoder::new(w, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(())
}

/// Writes `surface` as an RGB PNG, `scale` (1..=4) times its size, into `w`.
pub fn write_png_to(surface: &Surface, mem: &dyn GuestMemory, w: impl Write, scale: u32) -> Result<(), PngError> {
    if !(1..=4).contains(&scale) {
        return Err(PngError::BadScale(scale));
    }
    let (sw, sh) = (surface.width as u32, surface.height as u32);
    if sw == 0 || sh == 0 {
        return Err(PngError::Empty);
    }
    let rgb = surface.to_rgb888(mem)?;
    let scaled = scale_rgb888(&rgb, sw as usize, sh as usize, scale as usize);
    encode_rgb888(w, &scaled, sw * scale, sh * scale)
}

/// Writes `surface` as an RGB PNG file at `path`, `scale` (1..=4) times its size.
pub fn write_png(surface: &Surface, mem: &dyn GuestMemory, path: impl AsRef<Path>, scale: u32) -> Result<(), PngError> {
    let file = std::io::BufWriter::new(std::fs::File::create(path)?);
    write_png_to(surface, mem, file, scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphics::surface::Depth;
    use crate::FlatMemory;

    #[test]
    fn png_round_trip_scaled() {
        let s = Surface::packed(0, 3, 2, Depth::Eight).unwrap();
        let mut mem = FlatMemory::new(0, 16);
        s.set_pixel(&mut mem, 1, 0, 255).unwrap();
        s.set_pixel(&mut mem, 2, 1, 125).unwrap();
        let mut buf = Vec::new();
        write_png_to(&s, &mem, &mut buf, 2).unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(buf));
        let mut reader = dec.read_info().unwrap();
        let mut img = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut img).unwrap();
        assert_eq!((info.width, info.height, info.color_type), (6, 4, png::ColorType::Rgb));
        let px = |x: usize, y: usize| &img[(y * 6 + x) * 3..(y * 6 + x) * 3 + 3];
        assert_eq!(px(0, 0), [255, 255, 255]);
        assert_eq!(px(2, 0), [0, 0, 0]);
        assert_eq!(px(3, 1), [0, 0, 0]);
        assert_eq!(px(5, 3), [255, 0, 0]);
        assert!(matches!(write_png_to(&s, &mem, Vec::new(), 5), Err(PngError::BadScale(5))));
        assert!(matches!(write_png_to(&s, &mem, Vec::new(), 0), Err(PngError::BadScale(0))));
    }
}

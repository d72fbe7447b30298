//! Blackouts, crops and encoding, on images made here (no display needed).

use lifebuoy_capture::image::{self, Rgba, RgbaImage};
use lifebuoy_capture::{encode_png, preview, preview_size, CaptureError, Edit, Rect};

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const BLACK: Rgba<u8> = Rgba([0, 0, 0, 255]);

/// A 200×100 image with a different colour in every pixel, so a wrong offset shows.
fn gradient() -> RgbaImage {
    RgbaImage::from_fn(200, 100, |x, y| Rgba([x as u8, y as u8, 200, 255]))
}

fn decode(png: &[u8]) -> RgbaImage {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    image::load_from_memory(png).unwrap().to_rgba8()
}

#[test]
fn blackouts_are_black_in_the_encoded_png_and_nowhere_else() {
    let original = gradient();
    let edit = Edit {
        crop: None,
        blackouts: vec![Rect::new(10, 20, 30, 40), Rect::new(150, 0, 50, 10)],
    };
    let png = encode_png(&edit.apply(&original).unwrap()).unwrap();
    let back = decode(&png);
    assert_eq!(back.dimensions(), (200, 100));
    let inside = |x: u32, y: u32| {
        (10..40).contains(&x) && (20..60).contains(&y) || (150..200).contains(&x) && y < 10
    };
    for (x, y, p) in back.enumerate_pixels() {
        if inside(x, y) {
            assert_eq!(*p, BLACK, "({x}, {y}) is blacked out");
        } else {
            assert_eq!(p, original.get_pixel(x, y), "({x}, {y}) is untouched");
        }
    }
}

#[test]
fn a_blackout_over_transparent_pixels_is_opaque_black() {
    // Black at alpha 0 would still be "black", but a viewer could show what is under
    // it if only alpha were touched: the fill must overwrite all four channels.
    let see_through = RgbaImage::from_pixel(8, 8, Rgba([250, 10, 10, 0]));
    let edit = Edit {
        crop: None,
        blackouts: vec![Rect::new(0, 0, 4, 8)],
    };
    let back = decode(&encode_png(&edit.apply(&see_through).unwrap()).unwrap());
    assert_eq!(*back.get_pixel(0, 0), BLACK);
    assert_eq!(*back.get_pixel(3, 7), BLACK);
    assert_eq!(
        *back.get_pixel(4, 0),
        Rgba([250, 10, 10, 0]),
        "lossless, alpha kept"
    );
}

#[test]
fn crop_keeps_the_right_pixels_and_blackouts_use_original_coordinates() {
    let original = gradient();
    let edit = Edit {
        crop: Some(Rect::new(50, 10, 100, 60)),
        blackouts: vec![Rect::new(40, 0, 20, 20)],
    };
    let out = edit.apply(&original).unwrap();
    assert_eq!(out.dimensions(), (100, 60));
    assert_eq!(
        out.get_pixel(99, 59),
        original.get_pixel(149, 69),
        "bottom-right"
    );
    // The blackout 40..60 × 0..20 overlaps the crop's top-left 50..60 × 10..20 only.
    for (x, y, p) in out.enumerate_pixels() {
        if x < 10 && y < 10 {
            assert_eq!(*p, BLACK, "({x}, {y}) is blacked out");
        } else {
            assert_eq!(p, original.get_pixel(x + 50, y + 10), "({x}, {y})");
        }
    }
}

#[test]
fn rects_sticking_out_are_clamped_to_the_image() {
    let original = gradient();
    let edit = Edit {
        crop: Some(Rect::new(150, 50, 1000, 1000)),
        blackouts: vec![Rect::new(190, 90, u32::MAX, u32::MAX)],
    };
    let out = edit.apply(&original).unwrap();
    assert_eq!(out.dimensions(), (50, 50));
    assert_eq!(*out.get_pixel(49, 49), BLACK);
    assert_eq!(*out.get_pixel(40, 40), BLACK);
    assert_eq!(out.get_pixel(39, 39), original.get_pixel(189, 89));
}

#[test]
fn empty_or_outside_rects_are_refused_with_a_reason() {
    let original = gradient();
    let refused = |edit: Edit| match edit.apply(&original) {
        Err(e) => e,
        Ok(_) => panic!("{edit:?} was accepted"),
    };

    let e = refused(Edit {
        crop: Some(Rect::new(10, 10, 0, 5)),
        blackouts: vec![],
    });
    assert!(matches!(e, CaptureError::EmptyRect { what: "crop", .. }));
    assert_eq!(
        e.to_string(),
        "the crop 0×5 at (10, 10) is empty: it needs a width and a height of at least 1 pixel"
    );

    let e = refused(Edit {
        crop: Some(Rect::new(200, 0, 10, 10)),
        blackouts: vec![],
    });
    assert!(matches!(
        e,
        CaptureError::OutsideImage {
            what: "crop",
            width: 200,
            height: 100,
            ..
        }
    ));
    assert!(e.to_string().contains("outside the 200×100 image"), "{e}");

    // A blackout in the wrong place would leave the secret showing: refuse, and apply
    // nothing, rather than send the image without it.
    let e = refused(Edit {
        crop: None,
        blackouts: vec![Rect::new(0, 0, 5, 5), Rect::new(0, 100, 5, 5)],
    });
    assert!(matches!(
        e,
        CaptureError::OutsideImage {
            what: "blackout",
            ..
        }
    ));
    let e = refused(Edit {
        crop: None,
        blackouts: vec![Rect::new(3, 3, 5, 0)],
    });
    assert!(matches!(
        e,
        CaptureError::EmptyRect {
            what: "blackout",
            ..
        }
    ));
}

#[test]
fn an_empty_edit_changes_nothing() {
    let original = gradient();
    assert!(Edit::default().is_empty());
    assert_eq!(Edit::default().apply(&original).unwrap(), original);
}

#[test]
fn opaque_images_round_trip_exactly_through_png() {
    let original = gradient();
    let back = decode(&encode_png(&original).unwrap());
    assert_eq!(back, original);
}

#[test]
fn empty_images_are_refused() {
    let empty = RgbaImage::new(0, 10);
    assert!(matches!(
        encode_png(&empty),
        Err(CaptureError::EmptyImage {
            width: 0,
            height: 10
        })
    ));
    assert!(matches!(
        preview(&empty, 100),
        Err(CaptureError::EmptyImage { .. })
    ));
}

#[test]
fn previews_are_small_jpegs_and_never_enlarged() {
    let mut big = RgbaImage::from_pixel(1000, 500, WHITE);
    for y in 0..500 {
        for x in 0..500 {
            big.put_pixel(x, y, Rgba([255, 0, 0, 255]));
        }
    }
    let jpeg = preview(&big, 200).unwrap();
    assert_eq!(&jpeg[..3], b"\xff\xd8\xff", "a JPEG");
    let shown = image::load_from_memory(&jpeg).unwrap().to_rgb8();
    assert_eq!(shown.dimensions(), (200, 100));
    assert_eq!(preview_size(1000, 500, 200), shown.dimensions());
    let left = shown.get_pixel(50, 50);
    let right = shown.get_pixel(150, 50);
    assert!(left[0] > 200 && left[1] < 60, "left half red: {left:?}");
    assert!(
        right.0.iter().all(|c| *c > 200),
        "right half white: {right:?}"
    );

    let small = preview(&gradient(), 400).unwrap();
    let shown = image::load_from_memory(&small).unwrap();
    assert_eq!((shown.width(), shown.height()), (200, 100));
    assert_eq!(preview_size(200, 100, 400), (200, 100));

    assert!(matches!(
        preview(&big, 0),
        Err(CaptureError::PreviewTooNarrow)
    ));
}

#[test]
fn edits_and_rects_travel_as_json() {
    let edit: Edit = serde_json::from_str(
        r#"{"crop": {"x": 1, "y": 2, "width": 3, "height": 4}, "blackouts": [{"x": 5, "y": 6, "width": 7, "height": 8}]}"#,
    )
    .unwrap();
    assert_eq!(
        edit,
        Edit {
            crop: Some(Rect::new(1, 2, 3, 4)),
            blackouts: vec![Rect::new(5, 6, 7, 8)],
        }
    );
    let round: Edit = serde_json::from_str(&serde_json::to_string(&edit).unwrap()).unwrap();
    assert_eq!(round, edit);
    let bare: Edit = serde_json::from_str("{}").unwrap();
    assert!(bare.is_empty());
    assert!(
        serde_json::from_str::<Rect>(r#"{"x": -1, "y": 0, "width": 1, "height": 1}"#).is_err(),
        "negative coordinates cannot reach apply"
    );
}

//! Curve fits shared by the seal and handwriting finders.

/// A circle `(cx, cy, r)` through points: Kåsa's algebraic fit around the points' mean,
/// then Gauss–Newton steps on the geometric distance, since the algebraic fit shrinks the
/// radius of a short, thick arc (a stretch of a seal's ring).
pub(crate) fn circle_fit(pts: &[(f64, f64)]) -> Option<(f64, f64, f64)> {
    if pts.len() < 3 {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = pts.iter().fold((0.0, 0.0), |(a, c), &(x, y)| (a + x / n, c + y / n));
    let (mut suu, mut svv, mut suv, mut suuu, mut svvv, mut suvv, mut svuu) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for &(x, y) in pts {
        let (u, v) = (x - mx, y - my);
        suu += u * u;
        svv += v * v;
        suv += u * v;
        suuu += u * u * u;
        svvv += v * v * v;
        suvv += u * v * v;
        svuu += v * u * u;
    }
    let det = suu * svv - suv * suv;
    if det.abs() < 1e-9 {
        return None;
    }
    let (ru, rv) = ((suuu + suvv) / 2.0, (svvv + svuu) / 2.0);
    let (mut cx, mut cy) = (mx + (ru * svv - rv * suv) / det, my + (rv * suu - ru * suv) / det);
    let mut r = ((cx - mx).powi(2) + (cy - my).powi(2) + (suu + svv) / n).sqrt();
    for _ in 0..6 {
        let mut m = [[0f64; 4]; 3];
        for &(x, y) in pts {
            let d = (x - cx).hypot(y - cy).max(1e-9);
            let j = [-(x - cx) / d, -(y - cy) / d, -1.0];
            let e = d - r;
            for a in 0..3 {
                for b in 0..3 {
                    m[a][b] += j[a] * j[b];
                }
                m[a][3] -= j[a] * e;
            }
        }
        let Some([dx, dy, dr]) = solve3(m) else { break };
        cx += dx;
        cy += dy;
        r += dr;
        if dx.abs() + dy.abs() + dr.abs() < 0.05 {
            break;
        }
    }
    (r.is_finite() && r > 0.0).then_some((cx, cy, r))
}

/// `1/r² = A cos² + B sin² + 2C cos sin`: an ellipse centred on the polar origin.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Conic {
    a: f32,
    b: f32,
    c: f32,
}

impl Conic {
    pub(crate) fn circle(r: f32) -> Conic {
        let k = 1.0 / (r * r).max(1e-6);
        Conic { a: k, b: k, c: 0.0 }
    }
    pub(crate) fn radius(&self, t: f32) -> f32 {
        let (s, c) = t.sin_cos();
        1.0 / (self.a * c * c + self.b * s * s + 2.0 * self.c * c * s).max(1e-9).sqrt()
    }
    /// Semi-axes, major first.
    pub(crate) fn axes(&self) -> (f32, f32) {
        let tr = (self.a + self.b) / 2.0;
        let d = (((self.a - self.b) / 2.0).powi(2) + self.c * self.c).sqrt();
        let (l_small, l_big) = ((tr - d).max(1e-9), (tr + d).max(1e-9));
        (1.0 / l_small.sqrt(), 1.0 / l_big.sqrt())
    }
}

/// An ellipse through the ring points, only when they go most of the way round (a partial
/// ring does not constrain one); outliers dropped after a first fit.
pub(crate) fn ellipse_fit(pts: &[(f32, f32)], sectors: usize) -> Option<Conic> {
    let mut pts: Vec<(f32, f32)> = pts.to_vec();
    let mut fit = None;
    for _ in 0..2 {
        if (pts.len() as f32) < 0.6 * sectors as f32 {
            return fit;
        }
        let mut m = [[0f64; 4]; 3];
        for &(t, r) in &pts {
            let (s, c) = (t.sin() as f64, t.cos() as f64);
            let row = [c * c, s * s, 2.0 * c * s];
            let z = 1.0 / (r as f64 * r as f64);
            for i in 0..3 {
                for j in 0..3 {
                    m[i][j] += row[i] * row[j];
                }
                m[i][3] += row[i] * z;
            }
        }
        let [a, b, c] = solve3(m)?;
        if a <= 0.0 || b <= 0.0 || a * b - c * c <= 0.0 {
            return fit;
        }
        let conic = Conic { a: a as f32, b: b as f32, c: c as f32 };
        fit = Some(conic);
        pts.retain(|&(t, r)| (conic.radius(t) - r).abs() < 0.06 * r);
    }
    fit
}

/// The longest run of ring sectors, in sectors, bridging gaps of up to `max_gap` (black
/// print over the ring, a speckled stretch). A seal's ring is one continuous arc; ink of a
/// scribble or print on a circle is scattered over short ones.
pub(crate) fn longest_arc(on: &[bool], max_gap: usize) -> usize {
    let n = on.len();
    if on.iter().all(|&v| v) {
        return n;
    }
    let mut best = 0;
    for start in (0..n).filter(|&s| on[s] && !on[(s + n - 1) % n]) {
        let (mut len, mut gap, mut k) = (0, 0, 0);
        while k < n && gap <= max_gap {
            if on[(start + k) % n] {
                len = k + 1;
                gap = 0;
            } else {
                gap += 1;
            }
            k += 1;
        }
        best = best.max(len);
    }
    best
}

/// Gaussian elimination with partial pivoting on an augmented 3×4 system.
fn solve3(mut m: [[f64; 4]; 3]) -> Option<[f64; 3]> {
    for col in 0..3 {
        let pivot = (col..3).max_by(|&a, &b| m[a][col].abs().partial_cmp(&m[b][col].abs()).unwrap_or(std::cmp::Ordering::Equal))?;
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        for row in 0..3 {
            if row != col {
                let f = m[row][col] / m[col][col];
                for k in col..4 {
                    m[row][k] -= f * m[col][k];
                }
            }
        }
    }
    Some([m[0][3] / m[0][0], m[1][3] / m[1][1], m[2][3] / m[2][2]])
}

package main

import (
	"image/color"
	"math"
	"math/rand/v2"
)

func drawSkylineSunset(c *canvas, rng *rand.Rand) {
	const horizon = 470.0
	c.vgrad(0, 0, width, 260, hex("#2e2057"), hex("#d4577d"))
	c.vgrad(0, 260, width, horizon, hex("#d4577d"), hex("#ffc070"))

	for i, r := range []float64{190, 150, 120} {
		c.circle(830, 400, r, alpha(hex("#ffe3a0"), uint8(30+i*20)))
	}
	c.circle(830, 400, 92, hex("#ffe7a3"))

	c.ridge(func(x float64) float64 {
		return 300 + 45*math.Sin(x/190) + 22*math.Sin(x/73+1.3)
	}, horizon, hex("#7c3f73"))

	for x := -20.0; x < width; {
		w := between(rng, 40, 90)
		h := between(rng, 70, 210)
		c.rect(x, horizon-h, x+w, horizon, hex("#5c2f62"))
		x += w + between(rng, 2, 10)
	}

	windowOn, windowOff := hex("#ffd36b"), hex("#43285a")
	for x := -10.0; x < width; {
		w := between(rng, 60, 120)
		h := between(rng, 110, 320)
		top := horizon - h
		c.rect(x, top, x+w, horizon, hex("#2e1a3d"))
		if rng.IntN(3) == 0 {
			c.line(x+w/2, top, x+w/2, top-between(rng, 20, 50), 3, hex("#2e1a3d"))
		}
		for wy := top + 14; wy < horizon-16; wy += 22 {
			for wx := x + 10; wx < x+w-16; wx += 18 {
				col := windowOff
				if rng.Float64() < 0.33 {
					col = windowOn
				}
				c.rect(wx, wy, wx+8, wy+12, col)
			}
		}
		x += w + between(rng, 6, 30)
	}

	c.vgrad(0, horizon, width, height, hex("#3d2557"), hex("#160e27"))
	for y := horizon + 6; y < height; y += 9 {
		t := (y - horizon) / (height - horizon)
		half := 110 * (1 - t*0.6) * between(rng, 0.5, 1)
		c.rect(830-half, y, 830+half, y+3, alpha(hex("#ffd98a"), uint8(200*(1-t)+30)))
	}
	for i := 0; i < 70; i++ {
		x := between(rng, 0, width)
		y := between(rng, horizon+10, height)
		c.rect(x, y, x+between(rng, 10, 40), y+2, alpha(hex("#ffb0a0"), 60))
	}
	boat := hex("#1a1026")
	c.poly([]pt{{180, 560}, {330, 560}, {310, 585}, {200, 585}}, boat)
	c.rect(230, 535, 280, 560, boat)
}

func drawRiceFields(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 430, hex("#6fbfe9"), hex("#e4f5fb"))
	cloud := func(x, y, s float64) {
		for _, o := range [][3]float64{{0, 0, 34}, {36, -14, 42}, {78, 0, 32}, {40, 10, 34}} {
			c.circle(x+o[0]*s, y+o[1]*s, o[2]*s, alpha(hex("#ffffff"), 235))
		}
	}
	cloud(120, 110, 1.1)
	cloud(880, 80, 0.9)
	cloud(1040, 170, 0.7)

	c.poly([]pt{{-20, 430}, {260, 215}, {330, 240}, {620, 430}}, hex("#93aece"))
	c.poly([]pt{{360, 440}, {640, 160}, {700, 160}, {1010, 440}}, hex("#5e7ca1"))
	c.poly([]pt{{670, 160}, {700, 160}, {1010, 440}, {760, 440}}, hex("#4e6a8f"))
	c.poly([]pt{{640, 160}, {700, 160}, {690, 172}, {650, 172}}, hex("#3f5677"))
	for i := 0; i < 6; i++ {
		f := float64(i)
		c.circle(680+f*28, 135-f*26, 18+f*5, alpha(hex("#e8ecef"), uint8(220-i*25)))
	}

	greens := []color.NRGBA{hex("#8ccf52"), hex("#6db443"), hex("#a8dc62"), hex("#5ea63b"), hex("#9dd656"), hex("#78bd48"), hex("#b6e271")}
	bounds := []float64{400, 418, 440, 468, 505, 552, 610, 690}
	for k := 0; k+1 < len(bounds); k++ {
		kk := float64(k)
		top := func(x float64) float64 { return bounds[k] + (6+kk*2)*math.Sin(x/(140+kk*30)+kk*1.7) }
		bot := func(x float64) float64 {
			return bounds[k+1] + (8+kk*2)*math.Sin(x/(140+(kk+1)*30)+(kk+1)*1.7)
		}
		var pts []pt
		for x := -4.0; x <= width+4; x += 6 {
			pts = append(pts, pt{x, top(x)})
		}
		for x := width + 4.0; x >= -4; x -= 6 {
			pts = append(pts, pt{x, bot(x)})
		}
		c.poly(pts, greens[k%len(greens)])
		var edge []pt
		for x := -4.0; x <= width+4; x += 6 {
			edge = append(edge, pt{x, top(x)})
		}
		c.stroke(edge, 2+kk*0.6, hex("#d9efa8"))
	}
	// Rows of young rice in the nearest terraces.
	for k := 4; k+1 < len(bounds); k++ {
		for x := 10.0; x < width; x += 26 - float64(k)*2 {
			y := bounds[k] + 14 + float64(k)*3 + 6*math.Sin(x/90)
			c.line(x, y, x+3, y-10-float64(k), 2, alpha(hex("#3f8a2c"), 200))
		}
	}

	hut := func(x, y float64) {
		brown, roof := hex("#7a4b2a"), hex("#b7782f")
		for _, dx := range []float64{6, 66} {
			c.rect(x+dx, y, x+dx+6, y+48, brown)
		}
		c.rect(x, y+18, x+78, y+26, brown)
		c.poly([]pt{{x - 14, y + 4}, {x + 39, y - 38}, {x + 92, y + 4}}, roof)
	}
	hut(230, 455)

	palm := func(x, y, h float64) {
		trunk := []pt{}
		for i := 0; i <= 10; i++ {
			t := float64(i) / 10
			trunk = append(trunk, pt{x + 30*math.Sin(t*1.6), y - h*t})
		}
		c.stroke(trunk, 12, hex("#7b5a3a"))
		top := trunk[len(trunk)-1]
		for i := 0; i < 9; i++ {
			a := -math.Pi + float64(i)*math.Pi/8
			var frond []pt
			for j := 0; j <= 8; j++ {
				t := float64(j) / 8
				frond = append(frond, pt{top.X + math.Cos(a)*95*t, top.Y + math.Sin(a)*60*t + 55*t*t})
			}
			c.stroke(frond, 9, hex("#2f7a36"))
		}
		c.circle(top.X, top.Y+6, 10, hex("#5a3d22"))
	}
	palm(1020, 520, 260)
	palm(1120, 560, 230)
}

func drawHarbour(c *canvas, rng *rand.Rand) {
	const horizon = 380.0
	c.vgrad(0, 0, width, horizon, hex("#a9dcf2"), hex("#fcefd2"))
	c.circle(300, 150, 60, alpha(hex("#fff6d5"), 230))
	c.ridge(func(x float64) float64 { return 340 + 20*math.Sin(x/160) + 12*math.Sin(x/55) }, horizon, hex("#94b8aa"))
	c.vgrad(0, horizon, width, height, hex("#2f93b8"), hex("#155a78"))
	for i := 0; i < 160; i++ {
		x := between(rng, 0, width)
		y := between(rng, horizon+8, height)
		w := between(rng, 12, 40) * (0.5 + (y-horizon)/(height-horizon))
		c.rect(x, y, x+w, y+2.5, alpha(hex("#ffffff"), 80))
	}

	// A wooden sailing boat far out, in the style of a pinisi.
	c.poly([]pt{{130, 372}, {260, 372}, {245, 388}, {150, 388}}, hex("#6b4226"))
	c.line(175, 372, 175, 290, 3, hex("#4a2f1b"))
	c.line(215, 372, 215, 300, 3, hex("#4a2f1b"))
	c.poly([]pt{{177, 295}, {177, 366}, {212, 366}}, hex("#f4ecdc"))
	c.poly([]pt{{217, 305}, {217, 366}, {250, 366}}, hex("#efe3cc"))

	boat := func(x, y, s float64, hull, stripe, cabin color.NRGBA) {
		c.poly([]pt{{x - 10*s, y - 18*s}, {x + 190*s, y - 18*s}, {x + 240*s, y - 48*s}, {x + 220*s, y + 24*s}, {x + 20*s, y + 24*s}}, alpha(hex("#0d3f56"), 90))
		c.poly([]pt{{x - 20*s, y - 40*s}, {x + 200*s, y - 40*s}, {x + 250*s, y - 70*s}, {x + 225*s, y}, {x + 15*s, y}}, hull)
		c.poly([]pt{{x - 16*s, y - 30*s}, {x + 230*s, y - 30*s}, {x + 228*s, y - 22*s}, {x - 12*s, y - 22*s}}, stripe)
		c.rect(x+30*s, y-88*s, x+110*s, y-40*s, cabin)
		c.rect(x+40*s, y-78*s, x+60*s, y-62*s, hex("#2b4f66"))
		c.rect(x+75*s, y-78*s, x+95*s, y-62*s, hex("#2b4f66"))
		c.rect(x+24*s, y-94*s, x+116*s, y-86*s, stripe)
		c.line(x+150*s, y-40*s, x+150*s, y-150*s, 4*s, hex("#3b2a1e"))
		c.poly([]pt{{x + 152*s, y - 150*s}, {x + 190*s, y - 140*s}, {x + 152*s, y - 130*s}}, hex("#e63b2e"))
	}
	boat(560, 470, 0.75, hex("#2f6db3"), hex("#f2c230"), hex("#f5f1e8"))
	boat(120, 560, 1.0, hex("#d9493a"), hex("#ffffff"), hex("#f1e7c8"))
	boat(430, 640, 1.15, hex("#1e8c5a"), hex("#f2c230"), hex("#fffaf0"))

	// Pier on the right.
	wood, dark := hex("#9a6a45"), hex("#5e3d26")
	for x := 860.0; x < width; x += 60 {
		c.rect(x, 470, x+14, 675, dark)
	}
	c.poly([]pt{{820, 455}, {width, 440}, {width, 480}, {820, 488}}, wood)
	for x := 830.0; x < width; x += 28 {
		c.line(x, 456-(x-820)*0.04, x, 488-(x-820)*0.02, 2, alpha(dark, 160))
	}
	c.rect(980, 400, 990, 450, dark)
	c.circle(985, 396, 12, hex("#f2c230"))

	gull := func(x, y, s float64) {
		c.stroke([]pt{{x - 18*s, y - 6*s}, {x - 8*s, y - 10*s}, {x, y}}, 3, hex("#3a4a55"))
		c.stroke([]pt{{x, y}, {x + 8*s, y - 10*s}, {x + 18*s, y - 6*s}}, 3, hex("#3a4a55"))
	}
	gull(700, 120, 1.3)
	gull(780, 90, 1)
	gull(520, 200, 0.9)
}

func drawMarket(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 470, hex("#f7e6c6"), hex("#efd3a4"))
	for x := 20.0; x < width; x += 190 {
		c.rect(x, 60, x+170, 300, hex("#b9b3a8"))
		for y := 70.0; y < 300; y += 12 {
			c.rect(x+6, y, x+164, y+4, hex("#a39d92"))
		}
	}
	c.rect(0, 40, width, 60, hex("#8e4f36"))
	c.vgrad(0, 470, width, height, hex("#cdb28c"), hex("#a98a66"))

	type stall struct {
		x, w   float64
		stripe [2]color.NRGBA
	}
	stalls := []stall{
		{30, 360, [2]color.NRGBA{hex("#e0473a"), hex("#fff3e0")}},
		{420, 360, [2]color.NRGBA{hex("#2f8f6e"), hex("#fff3e0")}},
		{810, 360, [2]color.NRGBA{hex("#f2a930"), hex("#fff3e0")}},
	}
	produce := []struct {
		col  color.NRGBA
		r    float64
		long bool
	}{
		{hex("#f39a2b"), 16, false},
		{hex("#e0442f"), 15, false},
		{hex("#7cc242"), 13, false},
		{hex("#7b3f8c"), 14, true},
		{hex("#d7262a"), 7, true},
		{hex("#f6d743"), 12, false},
	}
	for si, s := range stalls {
		post := hex("#6b4a33")
		c.rect(s.x+10, 200, s.x+24, 520, post)
		c.rect(s.x+s.w-24, 200, s.x+s.w-10, 520, post)
		c.poly([]pt{{s.x - 10, 200}, {s.x + s.w + 10, 200}, {s.x + s.w - 10, 150}, {s.x + 10, 150}}, s.stripe[0])
		n := 8
		sw := (s.w + 20) / float64(n)
		for i := 0; i < n; i++ {
			x := s.x - 10 + float64(i)*sw
			col := s.stripe[i%2]
			c.rect(x, 200, x+sw, 240, col)
			c.circle(x+sw/2, 240, sw/2, col)
		}
		for i := 0; i < 3; i++ {
			lx := s.x + 80 + float64(i)*100
			c.line(lx, 262, lx, 292, 2, hex("#4a3a2a"))
			c.circle(lx, 300, 16, alpha(hex("#ffe9a8"), 90))
			c.circle(lx, 300, 9, hex("#ffe08a"))
		}
		c.rect(s.x, 430, s.x+s.w, 450, hex("#8a5a3b"))
		c.rect(s.x+6, 450, s.x+s.w-6, 560, hex("#a06d48"))
		c.rect(s.x+6, 500, s.x+s.w-6, 506, hex("#8a5a3b"))
		for b := 0; b < 3; b++ {
			bx := s.x + 20 + float64(b)*110
			c.poly([]pt{{bx, 395}, {bx + 100, 395}, {bx + 88, 432}, {bx + 12, 432}}, hex("#c8914f"))
			for y := 402.0; y < 432; y += 8 {
				c.line(bx+6, y, bx+94, y, 2, hex("#a8733b"))
			}
			p := produce[(si*3+b)%len(produce)]
			for row := 0; row < 4; row++ {
				count := 6 - row
				for k := 0; k < count; k++ {
					px := bx + 50 + (float64(k)-float64(count-1)/2)*p.r*1.5 + between(rng, -2, 2)
					py := 392 - float64(row)*p.r*1.1 + between(rng, -2, 2)
					if p.long {
						c.ellipse(px, py, p.r*1.6, p.r*0.7, between(rng, -0.6, 0.6), p.col)
					} else {
						c.circle(px, py, p.r, p.col)
						c.circle(px-p.r*0.35, py-p.r*0.35, p.r*0.3, alpha(hex("#ffffff"), 70))
					}
				}
			}
		}
	}
	// Shoppers' silhouettes in the foreground.
	shopper := func(x float64, shirt color.NRGBA) {
		c.circle(x, 560, 22, hex("#5a3b2a"))
		c.roundRect(x-30, 585, x+30, 700, 18, shirt)
	}
	shopper(380, hex("#3b6ea5"))
	shopper(780, hex("#c24d6b"))
}

func drawRainyCity(c *canvas, rng *rand.Rand) {
	const street = 500.0
	c.vgrad(0, 0, width, street, hex("#56636f"), hex("#9aa6b1"))
	for x := -40.0; x < width+60; x += 90 {
		y := 40 + 30*math.Sin(x/130)
		c.circle(x, y, between(rng, 60, 90), alpha(hex("#46515c"), 230))
	}
	tones := []color.NRGBA{hex("#6f7c8a"), hex("#5f6b78"), hex("#7a8692")}
	type tower struct{ x, w, top float64 }
	var towers []tower
	for x := -10.0; x < width; {
		w := between(rng, 80, 150)
		t := tower{x, w, street - between(rng, 140, 330)}
		towers = append(towers, t)
		c.rect(t.x, t.top, t.x+t.w, street, pick(rng, tones))
		for wy := t.top + 16; wy < street-20; wy += 26 {
			for wx := t.x + 12; wx < t.x+t.w-18; wx += 22 {
				col := alpha(hex("#4b5560"), 255)
				if rng.Float64() < 0.28 {
					col = hex("#f3d58a")
				}
				c.rect(wx, wy, wx+10, wy+14, col)
			}
		}
		x += w + between(rng, 4, 16)
	}
	c.vgrad(0, street, width, height, hex("#3f4a55"), hex("#2a323b"))
	// Wet asphalt mirrors the lit windows as blurred vertical streaks.
	for _, t := range towers {
		for i := 0; i < 4; i++ {
			x := between(rng, t.x, t.x+t.w)
			c.rect(x, street+4, x+6, street+between(rng, 40, 140), alpha(hex("#f3d58a"), 50))
		}
	}
	c.rect(0, street, width, street+8, hex("#7b8794"))
	for x := 40.0; x < width; x += 160 {
		c.rect(x, 590, x+80, 598, alpha(hex("#e9e4d4"), 160))
	}

	car := func(x float64, body color.NRGBA) {
		c.roundRect(x, 520, x+220, 575, 16, body)
		c.poly([]pt{{x + 40, 522}, {x + 70, 480}, {x + 160, 480}, {x + 190, 522}}, body)
		c.poly([]pt{{x + 58, 520}, {x + 78, 490}, {x + 112, 490}, {x + 112, 520}}, hex("#2f3d4a"))
		c.poly([]pt{{x + 120, 520}, {x + 120, 490}, {x + 154, 490}, {x + 174, 520}}, hex("#2f3d4a"))
		c.circle(x+50, 578, 20, hex("#1c2228"))
		c.circle(x+170, 578, 20, hex("#1c2228"))
		c.circle(x+214, 540, 9, hex("#fff3c4"))
		c.poly([]pt{{x + 214, 532}, {x + 420, 500}, {x + 420, 590}, {x + 214, 548}}, alpha(hex("#fff3c4"), 40))
		c.rect(x+200, 600, x+228, 670, alpha(hex("#fff3c4"), 60))
	}
	car(120, hex("#c4473a"))

	umbrella := func(x, y float64, col color.NRGBA) {
		c.roundRect(x-16, y+20, x+16, y+120, 12, hex("#2b2f36"))
		c.circle(x, y+10, 13, hex("#4a3628"))
		c.line(x, y-40, x, y+10, 3, hex("#222222"))
		var pts []pt
		for i := 0; i <= 20; i++ {
			a := math.Pi + float64(i)*math.Pi/20
			pts = append(pts, pt{x + 62*math.Cos(a), y - 12 + 42*math.Sin(a)})
		}
		c.poly(pts, col)
		c.rect(x-3, y+120, x+3, y+150, alpha(col, 90))
	}
	umbrella(720, 470, hex("#f2b632"))
	umbrella(860, 480, hex("#3a86c8"))
	umbrella(1040, 465, hex("#d94c6a"))

	for i := 0; i < 900; i++ {
		x := between(rng, -60, width)
		y := between(rng, -20, height)
		l := between(rng, 18, 34)
		c.line(x, y, x+l*0.25, y+l, 1.6, alpha(hex("#e6edf3"), 90))
	}
	for i := 0; i < 60; i++ {
		x := between(rng, 0, width)
		y := between(rng, street+20, height)
		c.ellipse(x, y, between(rng, 8, 16), 2.5, 0, alpha(hex("#cfd8e0"), 90))
	}
}

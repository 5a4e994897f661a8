package main

import (
	"image/color"
	"math"
	"math/rand/v2"
)

func drawTrain(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 470, hex("#8fd0f0"), hex("#eaf7fc"))
	c.circle(1040, 110, 46, hex("#fff1b8"))
	c.ridge(func(x float64) float64 { return 330 + 40*math.Sin(x/210+0.4) + 18*math.Sin(x/80) }, 480, hex("#a9d49c"))
	c.ridge(func(x float64) float64 { return 395 + 25*math.Sin(x/150+2) }, 480, hex("#82bf75"))
	for i := 0; i < 14; i++ {
		x := between(rng, 0, width)
		y := 400 + 25*math.Sin(x/150+2)
		c.rect(x-3, y-10, x+3, y+20, hex("#5a4632"))
		c.circle(x, y-22, between(rng, 18, 28), hex("#4f9a4c"))
	}
	// Catenary poles and wire behind the train.
	for x := 60.0; x < width; x += 260 {
		c.rect(x, 250, x+8, 520, hex("#6d7680"))
		c.rect(x-20, 262, x+40, 268, hex("#6d7680"))
	}
	c.line(0, 266, width, 266, 2, hex("#4c555e"))

	c.rect(0, 480, width, height, hex("#6aa85e"))
	c.rect(0, 540, width, 585, hex("#9a8f84"))
	for x := -10.0; x < width; x += 34 {
		c.rect(x, 552, x+20, 574, hex("#5e4a3a"))
	}
	c.rect(0, 548, width, 554, hex("#c9ced4"))
	c.rect(0, 568, width, 574, hex("#c9ced4"))

	body, red, blue, glass := hex("#eef1f4"), hex("#d6322c"), hex("#24528a"), hex("#2c4a6b")
	cars := []float64{40, 420, 800}
	for i, x := range cars {
		end := x + 360
		if i == len(cars)-1 {
			c.poly([]pt{{x, 380}, {end, 380}, {end + 80, 450}, {end + 90, 530}, {x, 530}}, body)
			c.poly([]pt{{end + 4, 390}, {end + 68, 448}, {end + 4, 448}}, glass)
			c.poly([]pt{{x, 470}, {end + 85, 470}, {end + 87, 484}, {x, 484}}, red)
			c.poly([]pt{{x, 488}, {end + 88, 488}, {end + 89, 496}, {x, 496}}, blue)
			c.circle(end+70, 510, 8, hex("#fff1b8"))
		} else {
			c.roundRect(x, 380, end, 530, 10, body)
			c.rect(x, 470, end, 484, red)
			c.rect(x, 488, end, 496, blue)
		}
		for wx := x + 24; wx < end-40; wx += 62 {
			c.roundRect(wx, 400, wx+44, 450, 6, glass)
			c.poly([]pt{{wx + 8, 448}, {wx + 30, 402}, {wx + 38, 402}, {wx + 16, 448}}, alpha(hex("#ffffff"), 60))
		}
		c.rect(x+160, 398, x+196, 528, hex("#d4d9de"))
		c.rect(x+177, 404, x+179, 522, hex("#aab2ba"))
		c.rect(x, 530, end, 540, hex("#3a3f45"))
		for _, wx := range []float64{x + 50, x + 95, end - 95, end - 50} {
			c.circle(wx, 544, 15, hex("#2b2f33"))
			c.circle(wx, 544, 6, hex("#8b939b"))
		}
		if i > 0 {
			c.rect(x-20, 400, x, 520, hex("#5b636b"))
		}
	}
}

const (
	batikGround = "#5b3a22"
	batikCream  = "#f1e2c2"
	batikDark   = "#2b1a10"
	batikGold   = "#c98d3f"
)

func drawBatik(c *canvas, rng *rand.Rand) {
	ground, cream, dark, gold := hex(batikGround), hex(batikCream), hex(batikDark), hex(batikGold)
	c.rect(0, 0, width, height, ground)

	const cell = 200.0
	const k = cell / 150
	for gy := -1; gy <= 4; gy++ {
		for gx := -1; gx <= 6; gx++ {
			px, py := float64(gx)*cell+60, float64(gy)*cell+30
			for _, d := range [][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
				ex, ey := px+d[0]*37*k, py+d[1]*37*k
				ang := math.Atan2(d[1], d[0])
				c.ellipse(ex, ey, 52*k, 28*k, ang, cream)
				c.ellipse(ex, ey, 36*k, 15*k, ang, dark)
				c.ellipse(ex, ey, 22*k, 7*k, ang, gold)
			}
			c.circle(px, py, 9*k, gold)
			// A small dot flower (isen-isen) in the diamond between two kawung flowers.
			for _, m := range []pt{{px + cell/2, py}, {px, py + cell/2}} {
				c.circle(m.X, m.Y, 5*k, cream)
				for _, d := range [][2]float64{{0, -14}, {14, 0}, {0, 14}, {-14, 0}} {
					c.circle(m.X+d[0]*k, m.Y+d[1]*k, 3*k, gold)
				}
			}
		}
	}

	// Border bands with a diagonal parang-like rhythm.
	band := func(y0, y1 float64) {
		c.rect(0, y0, width, y1, dark)
		h := y1 - y0
		for x := -h; x < width+h; x += 44 {
			c.poly([]pt{{x, y1 - 6}, {x + 20, y1 - 6}, {x + 20 + h - 12, y0 + 6}, {x + h - 12, y0 + 6}}, gold)
			c.poly([]pt{{x + 8, y1 - 10}, {x + 14, y1 - 10}, {x + 14 + h - 20, y0 + 10}, {x + 8 + h - 20, y0 + 10}}, dark)
		}
		c.rect(0, y0, width, y0+4, cream)
		c.rect(0, y1-4, width, y1, cream)
	}
	band(0, 64)
	band(height-64, height)
	_ = rng
}

func drawHongKongFlats(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, height, hex("#86c6e4"), hex("#e2f2f9"))
	for x := -20.0; x < width; {
		w := between(rng, 70, 130)
		top := between(rng, 60, 200)
		c.rect(x, top, x+w, height, hex("#b9c6d1"))
		for y := top + 10; y < height; y += 18 {
			c.rect(x+6, y, x+w-6, y+5, hex("#a9b7c3"))
		}
		x += w + between(rng, 4, 20)
	}

	pastels := []color.NRGBA{hex("#ecc9a0"), hex("#c9d8a3"), hex("#f0b8a8"), hex("#a9cbe3"), hex("#e6d3ea")}
	clothes := []color.NRGBA{hex("#e94f4f"), hex("#2f7dd1"), hex("#ffd23f"), hex("#ffffff"), hex("#43aa8b"), hex("#f28c28"), hex("#9b5de5")}
	towerXs := []float64{-30, 260, 560, 880}
	for ti, tx := range towerXs {
		w := 280.0
		top := 20 + float64(ti%2)*60
		wall := pastels[ti%len(pastels)]
		c.rect(tx, top, tx+w, height, wall)
		c.rect(tx+w-28, top, tx+w, height, mix(wall, hex("#000000"), 0.12))
		c.rect(tx-6, top-10, tx+w+6, top+4, mix(wall, hex("#000000"), 0.25))
		for y := top + 24; y < 560; y += 46 {
			for col := 0; col < 4; col++ {
				wx := tx + 18 + float64(col)*62
				c.rect(wx, y, wx+40, y+28, hex("#3d5566"))
				c.rect(wx+19, y, wx+21, y+28, wall)
				if rng.Float64() < 0.35 {
					c.rect(wx+6, y+30, wx+34, y+42, hex("#d9dde0"))
					c.rect(wx+10, y+34, wx+30, y+38, hex("#b0b6bb"))
				}
				if rng.Float64() < 0.3 {
					c.line(wx+40, y+6, wx+96, y+6, 2, hex("#8b8f93"))
					for k := 0; k < 3; k++ {
						kx := wx + 44 + float64(k)*17
						c.rect(kx, y+7, kx+12, y+7+between(rng, 12, 22), pick(rng, clothes))
					}
				}
			}
		}
	}
	// Street-level shop signs jutting out, the way Hong Kong streets look from below.
	signs := []color.NRGBA{hex("#d62839"), hex("#f4a259"), hex("#2a9d8f"), hex("#e9c46a")}
	for i := 0; i < 9; i++ {
		x := 40 + float64(i)*130 + between(rng, -15, 15)
		y := between(rng, 540, 590)
		col := pick(rng, signs)
		c.rect(x, y, x+34, y+90, col)
		c.rect(x+6, y+8, x+28, y+82, alpha(hex("#ffffff"), 70))
	}
	c.rect(0, 630, width, height, hex("#4b5563"))
}

func drawBoardingHouse(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 560, hex("#9ed3ee"), hex("#f3f8ea"))
	c.circle(160, 110, 50, hex("#fff2bf"))
	c.rect(0, 560, width, height, hex("#b9b2a5"))
	for x := 0.0; x < width; x += 60 {
		c.line(x, 560, x-40, height, 2, hex("#a59d8f"))
	}

	wall, shade, roof, door := hex("#f4ede1"), hex("#e2d8c7"), hex("#b5543b"), hex("#5f86ad")
	x0, x1 := 160.0, 1160.0
	c.rect(x0, 200, x1, 560, wall)
	c.rect(x0, 370, x1, 388, shade)
	c.poly([]pt{{x0 - 30, 200}, {x1 + 30, 200}, {x1 - 10, 140}, {x0 + 10, 140}}, roof)
	for x := x0 + 20; x < x1; x += 34 {
		c.line(x, 142, x-14, 198, 2, hex("#9a4330"))
	}
	c.rect(x0-40, 380, x1+20, 392, hex("#cdbfa8"))

	for i := 0; i < 6; i++ {
		dx := x0 + 50 + float64(i)*160
		for _, fl := range []struct {
			y   float64
			num int
		}{{225, 7 + i}, {410, 1 + i}} {
			c.rect(dx, fl.y, dx+62, fl.y+140, door)
			c.circle(dx+52, fl.y+72, 4, hex("#f2c230"))
			c.rect(dx+12, fl.y+14, dx+50, fl.y+38, hex("#dfe9f2"))
			c.rect(dx+80, fl.y+30, dx+132, fl.y+78, hex("#3d5566"))
			c.rect(dx+80, fl.y+30, dx+132, fl.y+36, hex("#7fa9c9"))
			n := string(rune('0' + fl.num%10))
			if fl.num >= 10 {
				n = "1" + n
			}
			c.text(dx+31-textWidth(n, 2.4)/2, fl.y+18, 2.4, n, hex("#2f4f6d"))
		}
	}
	// Upper corridor railing with drying laundry.
	rail := hex("#3f4a55")
	c.rect(x0, 318, x1, 322, rail)
	for x := x0; x <= x1; x += 20 {
		c.rect(x, 320, x+3, 372, rail)
	}
	clothes := []color.NRGBA{hex("#e94f4f"), hex("#2f7dd1"), hex("#ffd23f"), hex("#43aa8b"), hex("#ffffff"), hex("#f28c28")}
	for i := 0; i < 14; i++ {
		x := x0 + 20 + float64(i)*68 + between(rng, -10, 10)
		if rng.Float64() < 0.3 {
			continue
		}
		c.rect(x, 316, x+34, 316+between(rng, 30, 50), pick(rng, clothes))
	}
	// Staircase at the left end.
	c.poly([]pt{{x0 - 20, 560}, {x0 + 30, 560}, {x0 + 30, 380}, {x0 - 10, 380}}, hex("#d8ccb8"))
	for y := 390.0; y < 560; y += 20 {
		c.rect(x0-20, y, x0+30, y+4, hex("#b9a98f"))
	}

	// Sign on a post.
	c.rect(70, 300, 80, 560, hex("#5b4636"))
	c.roundRect(10, 250, 140, 320, 8, hex("#1f6f50"))
	c.text(75-textWidth("KOS", 6)/2, 264, 6, "KOS", hex("#ffffff"))

	motor := func(x float64, body color.NRGBA) {
		c.circle(x, 620, 24, hex("#222222"))
		c.circle(x+110, 620, 24, hex("#222222"))
		c.circle(x, 620, 9, hex("#999999"))
		c.circle(x+110, 620, 9, hex("#999999"))
		c.poly([]pt{{x - 10, 600}, {x + 30, 575}, {x + 90, 580}, {x + 120, 600}, {x + 95, 615}, {x + 15, 615}}, body)
		c.roundRect(x+20, 562, x+80, 576, 6, hex("#2b2b2b"))
		c.line(x+100, 585, x+112, 545, 5, hex("#3a3a3a"))
		c.line(x+100, 545, x+125, 545, 5, hex("#3a3a3a"))
	}
	motor(330, hex("#d94c3d"))
	motor(520, hex("#2f6db3"))
	motor(860, hex("#2b2b2b"))

	pot := func(x float64) {
		c.poly([]pt{{x - 22, 520}, {x + 22, 520}, {x + 16, 560}, {x - 16, 560}}, hex("#b86b3c"))
		for _, o := range [][3]float64{{0, -10, 22}, {-16, 0, 16}, {16, 0, 16}} {
			c.circle(x+o[0], 512+o[1], o[2], hex("#4f9a4c"))
		}
	}
	pot(300)
	pot(750)
	pot(1110)
}

func drawCoffee(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 430, hex("#f4e2c9"), hex("#e7c9a1"))
	c.rect(860, 40, 1140, 300, hex("#fbf1e0"))
	c.rect(996, 40, 1004, 300, hex("#d9c3a3"))
	c.rect(860, 166, 1140, 174, hex("#d9c3a3"))
	c.vgrad(0, 430, width, height, hex("#8b5a3c"), hex("#6a4128"))
	for y := 450.0; y < height; y += 38 {
		var grain []pt
		for x := -10.0; x <= width+10; x += 20 {
			grain = append(grain, pt{x, y + 5*math.Sin(x/120+y)})
		}
		c.stroke(grain, 2, hex("#7a4c30"))
	}

	c.ellipse(600, 545, 275, 62, 0, alpha(hex("#3b2314"), 90))
	c.ellipse(600, 530, 260, 58, 0, hex("#f7f3ee"))
	c.ellipse(600, 526, 200, 40, 0, hex("#e9e1d6"))

	cup := hex("#fbf8f3")
	var handle []pt
	for i := 0; i <= 16; i++ {
		a := -math.Pi/2 + float64(i)*math.Pi/16
		handle = append(handle, pt{735 + 62*math.Cos(a), 410 + 52*math.Sin(a)})
	}
	c.stroke(handle, 22, hex("#efe8de"))

	var body []pt
	for i := 0; i <= 20; i++ {
		t := float64(i) / 20
		body = append(body, pt{450 + 40*t*t, 330 + 175*t})
	}
	for i := 0; i <= 20; i++ {
		a := math.Pi - float64(i)*math.Pi/20
		body = append(body, pt{600 + 110*math.Cos(a), 505 + 18*math.Sin(a)})
	}
	for i := 20; i >= 0; i-- {
		t := float64(i) / 20
		body = append(body, pt{750 - 40*t*t, 330 + 175*t})
	}
	c.poly(body, cup)
	c.poly([]pt{{470, 345}, {500, 345}, {520, 480}, {500, 490}}, alpha(hex("#ffffff"), 150))
	c.poly([]pt{{690, 345}, {745, 345}, {712, 495}, {680, 500}}, alpha(hex("#c9bba8"), 90))
	c.ellipse(600, 330, 150, 36, 0, hex("#efe6da"))
	c.ellipse(600, 333, 134, 28, 0, hex("#b57640"))
	c.ellipse(600, 335, 124, 24, 0, hex("#5b3220"))
	c.ellipse(585, 333, 30, 8, 0.2, alpha(hex("#c28a55"), 160))

	for i, x := range []float64{540, 600, 660} {
		var steam []pt
		for j := 0; j <= 24; j++ {
			t := float64(j) / 24
			steam = append(steam, pt{x + 18*math.Sin(t*7+float64(i)), 290 - t*190})
		}
		c.stroke(steam, 9, hex("#fbf3e8"))
	}

	bean := func(x, y, a float64) {
		c.ellipse(x, y, 20, 13, a, hex("#5a321d"))
		c.ellipse(x, y, 15, 2.5, a, hex("#2e180c"))
	}
	for i := 0; i < 16; i++ {
		x := between(rng, 80, 360)
		if i%2 == 1 {
			x = between(rng, 860, 1150)
		}
		bean(x, between(rng, 560, 650), between(rng, 0, math.Pi))
	}
	// A sprig of ripe coffee cherries.
	c.stroke([]pt{{120, 470}, {220, 440}, {320, 452}}, 5, hex("#5a4632"))
	for _, l := range [][3]float64{{160, 430, -0.5}, {260, 425, 0.4}, {300, 470, 0.8}} {
		c.ellipse(l[0], l[1], 40, 16, l[2], hex("#3f8a3a"))
	}
	for _, p := range [][2]float64{{205, 458}, {225, 466}, {214, 478}, {270, 462}, {288, 470}} {
		c.circle(p[0], p[1], 12, hex("#c8232c"))
		c.circle(p[0]-4, p[1]-4, 3.5, alpha(hex("#ffffff"), 120))
	}
}

func drawSolarRoofs(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 520, hex("#5fb9e8"), hex("#d6f0fb"))
	for i := 0; i < 12; i++ {
		a := float64(i) * math.Pi / 6
		c.line(1040+80*math.Cos(a), 110+80*math.Sin(a), 1040+130*math.Cos(a), 110+130*math.Sin(a), 8, alpha(hex("#ffd54a"), 170))
	}
	c.circle(1040, 110, 62, hex("#ffd54a"))
	c.ridge(func(x float64) float64 { return 470 + 15*math.Sin(x/120) }, height, hex("#7cbf5c"))
	c.rect(0, 580, width, height, hex("#9c948a"))

	lerp := func(a, b pt, t float64) pt { return pt{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t} }
	quad := func(a, b, cc, d pt, u, v float64) pt { return lerp(lerp(a, b, u), lerp(d, cc, u), v) }

	house := func(x, w, wallTop float64, wall, roof color.NRGBA, rows, cols int) {
		c.rect(x, wallTop, x+w, 580, wall)
		c.rect(x+w*0.12, wallTop+50, x+w*0.3, wallTop+120, hex("#3d5566"))
		c.rect(x+w*0.6, wallTop+60, x+w*0.78, 580, hex("#8a5a3b"))
		// Roof seen from the street: a slope rising from eaves to ridge.
		a, b := pt{x + 40, wallTop - 130}, pt{x + w - 40, wallTop - 130}
		cc, d := pt{x + w + 30, wallTop}, pt{x - 30, wallTop}
		c.poly([]pt{a, b, cc, d}, roof)
		c.rect(x-34, wallTop-4, x+w+34, wallTop+8, mix(roof, hex("#000000"), 0.3))
		for r := 0; r < rows; r++ {
			for k := 0; k < cols; k++ {
				u0 := 0.12 + float64(k)*0.76/float64(cols)
				u1 := u0 + 0.76/float64(cols) - 0.02
				v0 := 0.12 + float64(r)*0.76/float64(rows)
				v1 := v0 + 0.76/float64(rows) - 0.03
				p := []pt{quad(a, b, cc, d, u0, v0), quad(a, b, cc, d, u1, v0), quad(a, b, cc, d, u1, v1), quad(a, b, cc, d, u0, v1)}
				c.poly(p, hex("#c9d3dc"))
				inset := []pt{quad(a, b, cc, d, u0+0.006, v0+0.02), quad(a, b, cc, d, u1-0.006, v0+0.02), quad(a, b, cc, d, u1-0.006, v1-0.02), quad(a, b, cc, d, u0+0.006, v1-0.02)}
				c.poly(inset, hex("#1f4e8c"))
				for s := 1; s < 4; s++ {
					t := float64(s) / 4
					p0 := quad(a, b, cc, d, u0+(u1-u0)*t, v0+0.02)
					p1 := quad(a, b, cc, d, u0+(u1-u0)*t, v1-0.02)
					c.line(p0.X, p0.Y, p1.X, p1.Y, 1.5, hex("#6fa3d8"))
				}
				m0 := quad(a, b, cc, d, u0+0.006, (v0+v1)/2)
				m1 := quad(a, b, cc, d, u1-0.006, (v0+v1)/2)
				c.line(m0.X, m0.Y, m1.X, m1.Y, 1.5, hex("#6fa3d8"))
				g0 := quad(a, b, cc, d, u0+(u1-u0)*0.15, v0+0.03)
				g1 := quad(a, b, cc, d, u0+(u1-u0)*0.35, v0+0.03)
				g2 := quad(a, b, cc, d, u0+(u1-u0)*0.2, v1-0.03)
				c.poly([]pt{g0, g1, g2}, alpha(hex("#ffffff"), 40))
			}
		}
	}
	house(60, 330, 390, hex("#f5e8d0"), hex("#b5543b"), 2, 3)
	house(470, 360, 360, hex("#e3eef5"), hex("#8c4a3a"), 2, 4)
	house(900, 270, 410, hex("#f3dfe0"), hex("#a65d3a"), 1, 3)

	for x := 0.0; x < width; x += 24 {
		c.rect(x, 545, x+10, 590, hex("#ffffff"))
	}
	c.rect(0, 555, width, 561, hex("#ffffff"))
	c.rect(0, 575, width, 581, hex("#ffffff"))
	for _, x := range []float64{430, 860} {
		c.rect(x-6, 430, x+6, 580, hex("#6b4a33"))
		c.circle(x, 420, 42, hex("#3f8f45"))
		c.circle(x-26, 445, 30, hex("#4ea352"))
		c.circle(x+28, 448, 28, hex("#367d3c"))
	}
	_ = rng
}

func drawBusStop(c *canvas, rng *rand.Rand) {
	c.vgrad(0, 0, width, 440, hex("#a7dcf3"), hex("#f0f9fc"))
	pastel := []color.NRGBA{hex("#f2d7b6"), hex("#cfe3c4"), hex("#f3c9c2"), hex("#d4dcef")}
	for x := -10.0; x < width; {
		w := between(rng, 120, 200)
		top := between(rng, 150, 280)
		col := pick(rng, pastel)
		c.rect(x, top, x+w, 440, col)
		for y := top + 20; y < 420; y += 40 {
			for wx := x + 16; wx < x+w-30; wx += 36 {
				c.rect(wx, y, wx+20, y+24, mix(col, hex("#3d5566"), 0.55))
			}
		}
		x += w + between(rng, 0, 10)
	}
	for x := 40.0; x < width; x += 220 {
		c.rect(x-5, 330, x+5, 440, hex("#6b4a33"))
		c.circle(x, 320, 44, hex("#4c9a4f"))
		c.circle(x+24, 300, 30, hex("#5fae5d"))
	}
	c.rect(0, 440, width, 500, hex("#c8c3ba"))
	c.rect(0, 496, width, 506, hex("#8f8a82"))
	c.rect(0, 506, width, height, hex("#4a4f57"))
	for x := 20.0; x < width; x += 140 {
		c.rect(x, 640, x+70, 648, hex("#f1f1e6"))
	}

	// Shelter.
	c.rect(70, 300, 80, 500, hex("#5d6670"))
	c.rect(420, 300, 430, 500, hex("#5d6670"))
	c.poly([]pt{{40, 300}, {460, 300}, {440, 276}, {60, 276}}, hex("#e05a3a"))
	c.rect(84, 310, 416, 420, alpha(hex("#cfe8f3"), 110))
	c.rect(110, 440, 390, 452, hex("#8a5a3b"))
	c.rect(120, 452, 128, 496, hex("#5d6670"))
	c.rect(372, 452, 380, 496, hex("#5d6670"))
	c.rect(500, 280, 506, 500, hex("#5d6670"))
	c.circle(503, 270, 26, hex("#1f6fb2"))
	c.text(503-textWidth("B", 3.4)/2, 258, 3.4, "B", hex("#ffffff"))

	person := func(x, y float64, shirt color.NRGBA, sitting bool) {
		c.circle(x, y, 15, hex("#6a4630"))
		h := 88.0
		if sitting {
			h = 58
		}
		c.roundRect(x-18, y+18, x+18, y+18+h, 12, shirt)
		if sitting {
			c.rect(x-4, y+70, x+30, y+82, hex("#2f3b4a"))
			c.rect(x+22, y+70, x+30, y+110, hex("#2f3b4a"))
		} else {
			c.rect(x-14, y+100, x-3, y+150, hex("#2f3b4a"))
			c.rect(x+3, y+100, x+14, y+150, hex("#2f3b4a"))
		}
	}
	person(170, 372, hex("#e9a23b"), true)
	person(300, 372, hex("#3f7fbf"), true)
	person(460, 345, hex("#c4456a"), false)

	bus, dark := hex("#1f8a70"), hex("#24323f")
	bx := 600.0
	c.ellipse(bx+270, 632, 300, 16, 0, alpha(hex("#000000"), 70))
	c.roundRect(bx, 380, bx+560, 620, 26, bus)
	c.rect(bx, 540, bx+560, 556, hex("#f4f4ee"))
	c.roundRect(bx+18, 398, bx+470, 492, 10, dark)
	for x := bx + 110; x < bx+470; x += 92 {
		c.rect(x, 398, x+6, 492, bus)
	}
	for x := bx + 40; x < bx+460; x += 92 {
		c.poly([]pt{{x, 490}, {x + 28, 400}, {x + 44, 400}, {x + 16, 490}}, alpha(hex("#ffffff"), 45))
	}
	c.roundRect(bx+486, 398, bx+548, 600, 8, dark)
	c.rect(bx+516, 398, bx+518, 600, bus)
	c.roundRect(bx+30, 362, bx+140, 384, 4, dark)
	c.text(bx+85-textWidth("12", 2.6)/2, 364, 2.6, "12", hex("#ffcf3f"))
	for _, x := range []float64{bx + 110, bx + 440} {
		c.circle(x, 620, 38, hex("#1c1f24"))
		c.circle(x, 620, 16, hex("#9aa2aa"))
	}
	c.circle(bx+548, 588, 8, hex("#fff1b8"))
}

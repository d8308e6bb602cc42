package store

// ensure generates the collections cs (and those they read) that do not
// exist yet. It fails with ErrMemoryBudget when one does not fit.
func (a *Account) ensure(cs ...Collection) error {
	missing := false
	for _, c := range cs {
		missing = missing || !a.has(c)
	}
	if !missing {
		return nil
	}
	// Generating is the long part (a million items take seconds) and a
	// seeder is a pure function of the key and the collection: it runs
	// without the lock, and only installing takes it. Two first uses at
	// once may both generate; one installs.
	made := map[Collection]Seed{}
	for _, c := range cs {
		a.generate(c, made)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range cs {
		if err := a.ensureLocked(c, made); err != nil {
			return err
		}
	}
	return nil
}

// generate makes the seeds of c and of the collections it needs that do
// not exist yet and fit the budget, into made (without the lock).
func (a *Account) generate(c Collection, made map[Collection]Seed) {
	if _, done := made[c]; done || a.has(c) || a.seeder == nil {
		return
	}
	for _, dep := range c.needs() {
		a.generate(dep, made)
	}
	if a.seedEs != nil && !a.fitsNow(a.seedEs(c)) {
		return // reserved (evicting others, or refused) and made under the lock
	}
	made[c] = a.seeder(a.key, c)
}

// ensureLocked installs c (and what it needs) unless it exists, from its
// seed in made when generated already, else generated now.
func (a *Account) ensureLocked(c Collection, made map[Collection]Seed) error {
	if a.seeded[c] {
		return nil
	}
	for _, dep := range c.needs() {
		if err := a.ensureLocked(dep, made); err != nil {
			return err
		}
	}
	if a.seeder == nil {
		a.markSeededLocked(c)
		return nil
	}
	if a.seedEs != nil {
		if err := a.reserve(a.seedEs(c)); err != nil {
			return err
		}
	}
	seed, ok := made[c]
	if !ok {
		seed = a.seeder(a.key, c)
	}
	a.installLocked(c, seed)
	return nil
}

func (a *Account) markSeededLocked(c Collection) {
	a.seeded[c] = true
	a.seededN.Or(1 << c)
	a.bumpLocked(c)
}

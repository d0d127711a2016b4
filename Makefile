# Lookout — build, run, test, install.
PREFIX ?= /usr/local
CONFIG ?= config/lookout.yml

.PHONY: run test build release install uninstall clean

## Build and run the daemon on the shipped example config (installs build dependencies first).
run:
	scripts/setup
	swift build --product lookout
	"$$(swift build --show-bin-path)/lookout" run --config $(CONFIG)

## The whole test suite (installs test dependencies first).
test:
	scripts/test

build:
	scripts/setup
	swift build --product lookout

release:
	scripts/setup
	swift build -c release --product lookout

## Install binary, systemd unit, example config and env template (Debian; run as root).
install: release
	install -D -m 0755 "$$(swift build -c release --show-bin-path)/lookout" $(DESTDIR)$(PREFIX)/bin/lookout
	install -D -m 0644 systemd/lookout.service $(DESTDIR)/etc/systemd/system/lookout.service
	install -d -m 0755 $(DESTDIR)/etc/lookout/rules
	[ -e $(DESTDIR)/etc/lookout/lookout.yml ] || sed 's|data_dir: ./data|data_dir: /var/lib/lookout|; s|config/rules/|/etc/lookout/rules/|' config/lookout.yml > $(DESTDIR)/etc/lookout/lookout.yml
	[ -e $(DESTDIR)/etc/lookout/lookout.env ] || install -m 0600 config/lookout.env.example $(DESTDIR)/etc/lookout/lookout.env
	cp -n config/rules/*.yml $(DESTDIR)/etc/lookout/rules/ || true
	@echo "installed; now: systemctl daemon-reload && systemctl enable --now lookout"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lookout $(DESTDIR)/etc/systemd/system/lookout.service

clean:
	rm -rf .build

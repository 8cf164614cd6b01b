# formscan: set-up, build, demo and tests. `make demo` and `make test` work on a fresh Debian
# machine with a Rust toolchain: both install the system packages they need first.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)
# Tesseract must not start its own OpenMP threads: formscan runs forms in parallel itself.
# The binary sets this on its own; the test binary links Tesseract too, so set it here.
export OMP_THREAD_LIMIT := 1

# Building (leptess links libtesseract and generates bindings with clang), reading scans
# (chi_sim; eng for a second reading of counts, HanS for one of the lines chi_sim is unsure of), and testing (LibreOffice renders the template, poppler reads the PDF, CJK fonts
# make the glyphs, the UKai font writes handwriting-like samples, Chromium checks report.html).
DEB_PACKAGES := pkg-config clang libclang-dev libtesseract-dev libleptonica-dev tesseract-ocr \
	tesseract-ocr-chi-sim tesseract-ocr-eng tesseract-ocr-script-hans libreoffice-writer poppler-utils fonts-noto-cjk fonts-arphic-ukai bc time libtiff-tools chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
FORMSCAN := target/release/formscan

.PHONY: deps build demo test template bench clean

## deps: install the Debian packages that are missing (and only those)
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "make deps: all system packages present"; fi

## build: the release binary
build: deps
	cargo build --release --locked

## demo: check the machine, read the sample submissions into out/, write the template, a
## pre-filled form and one per sample unit
demo: build
	$(FORMSCAN) doctor
	$(FORMSCAN) process samples/forms samples/scans/*.pdf samples/scans/*.tif samples/scans/*.jpg \
		-o out/ --quotas samples/quotas.csv --debug-dir out/debug
	$(FORMSCAN) eval samples/scans
	$(FORMSCAN) template -o out/
	$(FORMSCAN) template -o out/example-filled.docx \
		--set cover_name=乌日娜 --set cover_employer="包头钢铁（集团）有限责任公司" \
		--set cover_region=包头市 --set fill_date=2023-05-10 --set name=乌日娜 \
		--set gender=女 --set birth_month=1986.03 --set ethnicity=蒙古族 \
		--set political_status=中共党员 --set votes.term=七 --set votes.session=三 \
		--set votes.attended=126 --set votes.approved=120 --set votes.opposed=2
	$(FORMSCAN) template --units samples/units.csv -o out/units/ --set fill_date=2023-05-10
	@echo "make demo: outputs are in out/"

## test: the whole test suite (unit, integration with LibreOffice and Tesseract)
test: deps
	cargo test --release --locked

## template: regenerate the committed templates/zuimei-2023.docx from the spec
template:
	FORMSCAN_BLESS=1 cargo test --release --locked committed_template

## bench: time the template generator and the .docx route
bench: build
	bash benches/template.sh
	bash benches/docx_route.sh 1000

clean:
	cargo clean
	rm -rf out

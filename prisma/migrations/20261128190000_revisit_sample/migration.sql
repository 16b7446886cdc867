-- CreateTable
CREATE TABLE "RevisitSample" (
    "id" BIGSERIAL NOT NULL,
    "day" TEXT NOT NULL,
    "sampler" TEXT NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,
    "seed" TEXT NOT NULL,
    "candidates" TEXT[],
    "drawn" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RevisitSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RevisitSample_day_sampler_key" ON "RevisitSample"("day", "sampler");


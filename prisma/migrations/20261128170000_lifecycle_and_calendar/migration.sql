-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "closedWithoutContact" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "departments" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "extensionStatus" TEXT,
ADD COLUMN     "handlingOverdue" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mediation" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "nearDeadlineAt" TIMESTAMPTZ(3),
ADD COLUMN     "platformReceipt" TEXT,
ADD COLUMN     "reminded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reopenCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "replyDraftedBy" TEXT,
ADD COLUMN     "replyReviewedBy" TEXT,
ADD COLUMN     "replyText" TEXT,
ADD COLUMN     "sensitive" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "slaDescription" TEXT,
ADD COLUMN     "supervised" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "CalendarOverride" (
    "date" TEXT NOT NULL,
    "working" BOOLEAN NOT NULL,
    "name" TEXT,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CalendarOverride_pkey" PRIMARY KEY ("date")
);

-- CreateTable
CREATE TABLE "CalendarYear" (
    "year" INTEGER NOT NULL,
    "loadedBy" TEXT NOT NULL,
    "loadedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" TEXT,

    CONSTRAINT "CalendarYear_pkey" PRIMARY KEY ("year")
);

